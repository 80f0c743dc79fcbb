package dev.nido.image.registry;

import com.sun.net.httpserver.HttpExchange;
import dev.nido.image.store.Digest;
import dev.nido.image.store.Image;
import dev.nido.image.store.ImageStore;
import dev.nido.image.store.Reference;
import dev.nido.oci.Descriptor;
import dev.nido.oci.ImageIndex;
import dev.nido.oci.ImageManifest;
import dev.nido.oci.MediaTypes;
import dev.nido.oci.Platform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The registry client against a real registry ({@code docker-registry}, distribution 2.8) on
 * 127.0.0.1, with skopeo as the independent reader and writer. Needs docker-registry and skopeo;
 * no root, no network beyond loopback.
 */
class RegistryIT {
    private static final Platform AMD64 = Platform.parse("linux/amd64");
    private static final Platform ARM64 = Platform.parse("linux/arm64");
    @TempDir
    static Path tmp;
    static LocalRegistry registry;
    static RegistryClient client;

    @BeforeAll
    static void startRegistry() throws Exception {
        registry = LocalRegistry.start(tmp.resolve("registry"));
        client = RegistryClient.builder().insecure(List.of(registry.address()))
                .credentials(Credentials.at(tmp.resolve("no-auth.json"), null)).build();
    }

    @AfterAll
    static void stopRegistry() {
        if (client != null) {
            client.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    private static Reference remote(String rest) {
        return Reference.parse(registry.address() + "/" + rest);
    }

    private static ImageStore freshStore(String name) throws IOException {
        return new ImageStore(Files.createTempDirectory(tmp, name));
    }

    /** Runs skopeo (with a permissive policy: these are test images) and returns its output. */
    private static String skopeo(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("skopeo", "--insecure-policy"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("skopeo timed out: " + cmd);
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException("skopeo failed (" + p.exitValue() + "): " + cmd + "\n" + text);
        }
        return text;
    }

    /** The manifest digest as skopeo (an independent reader) sees it in the registry. */
    private static String skopeoDigest(String rest) throws IOException, InterruptedException {
        String raw = skopeo("inspect", "--raw", "--tls-verify=false", "docker://" + registry.address() + "/" + rest);
        return Digest.of(raw.getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static List<String> layerDigests(ImageStore s, Descriptor manifest) {
        return s.read(manifest, ImageManifest.class).layers().stream().map(Descriptor::digest).toList();
    }

    // a) nido pushes, nido pulls; skopeo confirms what is in the registry

    @Test
    void pushThenPullGivesTheSameImage() throws Exception {
        ImageStore local = freshStore("a-src");
        Descriptor m = TestImages.twoLayers(local, "amd64", "roundtrip");
        local.tag(Reference.parse("roundtrip:1"), m);
        new Pusher(client).push(local, "roundtrip:1", remote("x/a:v1"), AMD64, Progress.none());
        assertThat(skopeoDigest("x/a:v1")).isEqualTo(m.digest());

        ImageStore pulled = freshStore("a-dst");
        Image img = new Puller(client).pull(remote("x/a:v1"), AMD64, pulled, Progress.none());
        Image orig = local.resolve("roundtrip:1", AMD64);
        assertThat(img.manifestDescriptor().digest()).isEqualTo(m.digest());
        assertThat(img.id()).isEqualTo(orig.id());
        assertThat(layerDigests(pulled, img.manifestDescriptor())).isEqualTo(layerDigests(local, m))
                .allSatisfy(d -> assertThat(pulled.content().read(Digest.parse(d, "t")))
                        .isEqualTo(local.content().read(Digest.parse(d, "t"))));
        assertThat(img.layers().get(1).mediaType()).isEqualTo(MediaTypes.OCI_LAYER_GZIP);
    }

    // b) skopeo pushes (from the store, which is an OCI layout), nido pulls

    @Test
    void anImagePushedBySkopeoIsPulled() throws Exception {
        ImageStore layout = freshStore("b-layout");
        Descriptor m = TestImages.twoLayers(layout, "amd64", "skopeo");
        layout.tag(Reference.parse("skopeo-src:1"), m);
        skopeo("copy", "--dest-tls-verify=false", "oci:" + layout.root() + ":docker.io/library/skopeo-src:1",
                "docker://" + registry.address() + "/x/s:t");

        ImageStore pulled = freshStore("b-dst");
        Image img = new Puller(client).pull(remote("x/s:t"), AMD64, pulled, Progress.none());
        assertThat(img.manifestDescriptor().digest()).isEqualTo(skopeoDigest("x/s:t"));
        Image orig = layout.resolve("skopeo-src:1", AMD64);
        assertThat(img.id()).isEqualTo(orig.id()); // the config travels unchanged
        // skopeo may compress layers on the way; what is inside must be what we built
        List<String> diffIds = new ArrayList<>();
        for (Descriptor l : img.layers()) {
            diffIds.add(uncompressedDigest(pulled, l));
        }
        assertThat(diffIds).isEqualTo(orig.config().diffIds());
    }

    private static String uncompressedDigest(ImageStore s, Descriptor layer) throws IOException {
        MessageDigest md = Digest.sha256();
        try (InputStream raw = s.content().open(Digest.parse(layer.digest(), "t"));
             InputStream in = layer.mediaType().endsWith("gzip") ? new GZIPInputStream(raw) : raw) {
            byte[] buf = new byte[65536];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return "sha256:" + HexFormat.of().formatHex(md.digest());
    }

    // c) an index (pushed by nido, and by skopeo --all): the platform's manifest each time

    @Test
    void aManifestListGivesEachPlatformItsImage() throws Exception {
        ImageStore local = freshStore("c-src");
        Descriptor idx = TestImages.multiPlatform(local, "multi:1");
        new Pusher(client).push(local, "multi:1", remote("x/m:1"), AMD64, Progress.none());
        assertThat(skopeoDigest("x/m:1")).isEqualTo(idx.digest());
        skopeo("copy", "--all", "--dest-tls-verify=false", "oci:" + local.root() + ":docker.io/library/multi:1",
                "docker://" + registry.address() + "/x/m2:1");
        for (String repo : List.of("x/m:1", "x/m2:1")) {
            // skopeo compresses the layers it pushes, so x/m2's manifests differ from ours: ask it what it pushed
            ImageIndex index = dev.nido.oci.Json.read(skopeo("inspect", "--raw", "--tls-verify=false",
                    "docker://" + registry.address() + "/" + repo).getBytes(StandardCharsets.UTF_8), ImageIndex.class,
                    "skopeo inspect --raw " + repo);
            assertThat(index.manifests()).hasSize(2);
            ImageStore pulled = freshStore("c-dst");
            Image arm = new Puller(client).pull(remote(repo), ARM64, pulled, Progress.none());
            assertThat(arm.config().architecture()).as(repo).isEqualTo("arm64");
            assertThat(arm.manifestDescriptor().platform().variant()).isEqualTo("v8");
            Image amd = new Puller(client).pull(remote(repo), AMD64, pulled, Progress.none());
            assertThat(amd.config().architecture()).as(repo).isEqualTo("amd64");
            assertThat(List.of(arm.manifestDescriptor().digest(), amd.manifestDescriptor().digest()))
                    .containsExactlyInAnyOrderElementsOf(index.manifests().stream().map(Descriptor::digest).toList());
            assertThatThrownBy(() -> new Puller(client).pull(remote(repo), Platform.parse("linux/s390x"), pulled,
                    Progress.none()))
                    .hasMessage(registry.address() + "/" + repo + ": no image for linux/s390x (it has: linux/amd64,"
                            + " linux/arm64/v8); choose one with --platform");
        }
    }

    // d) a download cut half way is resumed by the next pull with a Range request

    @Test
    void aCutDownloadIsResumedByTheNextPull() throws Exception {
        ImageStore local = freshStore("d-src");
        byte[] data = new byte[6_000_000];
        new Random(42).nextBytes(data);
        Descriptor m = TestImages.image(local, "amd64", List.of(TestImages.Layer.rawTar("big.bin", data)));
        local.tag(Reference.parse("big:1"), m);
        new Pusher(client).push(local, "big:1", remote("x/big:1"), AMD64, Progress.none());
        String layer = layerDigests(local, m).getFirst();

        try (ForwardingProxy proxy = new ForwardingProxy(registry.address());
             RegistryClient viaProxy = RegistryClient.builder().insecure(List.of(proxy.address()))
                     .credentials(Credentials.at(tmp.resolve("no-auth.json"), null)).build()) {
            proxy.cutPath = "/blobs/" + layer;
            proxy.cutAfter = 2_500_000;
            Reference ref = Reference.parse(proxy.address() + "/x/big:1");
            ImageStore pulled = freshStore("d-dst");
            assertThatThrownBy(() -> new Puller(viaProxy, 1).pull(ref, AMD64, pulled, Progress.none()))
                    .hasMessageContaining("download of blob " + layer).hasMessageContaining("pull again to resume");
            assertThat(pulled.names()).isEmpty();
            assertThat(pulled.content().leftovers()).singleElement()
                    .satisfies(p -> assertThat(Files.size(p)).isEqualTo(2_500_000));

            Image img = new Puller(viaProxy, 1).pull(ref, AMD64, pulled, Progress.none());
            assertThat(img.layers().getFirst().digest()).isEqualTo(layer);
            assertThat(pulled.content().read(Digest.parse(layer, "t"))).isEqualTo(local.content().read(Digest.parse(layer, "t")));
            assertThat(proxy.seen("GET", "/blobs/" + layer))
                    .extracting(ForwardingProxy.Seen::range, ForwardingProxy.Seen::status)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(null, 200),
                            org.assertj.core.groups.Tuple.tuple("bytes=2500000-", 206));
            assertThat(pulled.content().leftovers()).isEmpty();
        }
    }

    // e) Bearer token authentication: a token server and gate in front of the registry

    @Test
    void tokenAuthenticationWithAndWithoutCredentials() throws Exception {
        ImageStore local = freshStore("e-src");
        Descriptor m = TestImages.twoLayers(local, "amd64", "private");
        local.tag(Reference.parse("private:1"), m);
        new Pusher(client).push(local, "private:1", remote("x/y:1"), AMD64, Progress.none());

        String token = "tok-" + new Random().nextLong();
        try (ForwardingProxy gate = new ForwardingProxy(registry.address())) {
            gate.gate = ex -> admit(ex, gate.address(), token);
            Path authFile = tmp.resolve("e-auth/nido/auth.json");
            Credentials.at(authFile, null).store(gate.address(), new Credential("user", "pass"));
            Reference ref = Reference.parse(gate.address() + "/x/y:1");
            try (RegistryClient withCreds = RegistryClient.builder().insecure(List.of(gate.address()))
                    .credentials(Credentials.at(authFile, null)).build()) {
                Image img = new Puller(withCreds).pull(ref, AMD64, freshStore("e-dst"), Progress.none());
                assertThat(img.manifestDescriptor().digest()).isEqualTo(m.digest());
            }
            assertThat(gate.seen("GET", "/token")).singleElement()
                    .satisfies(s -> assertThat(s.status()).isEqualTo(200));
            try (RegistryClient without = RegistryClient.builder().insecure(List.of(gate.address()))
                    .credentials(Credentials.at(tmp.resolve("e-none/auth.json"), null)).build()) {
                ImageStore empty = freshStore("e-none");
                assertThatThrownBy(() -> new Puller(without).pull(ref, AMD64, empty, Progress.none()))
                        .hasMessageContaining("registry " + gate.address() + " requires a login")
                        .hasMessageEndingWith("nido login " + gate.address());
                assertThat(empty.names()).isEmpty();
            }
        }
    }

    /** The gate: /token issues {@code token} for Basic user:pass; /v2/… needs {@code Bearer token}. */
    private static boolean admit(HttpExchange ex, String self, String token) throws IOException {
        if (ex.getRequestURI().getPath().equals("/token")) {
            String expected = "Basic " + Base64.getEncoder().encodeToString("user:pass".getBytes(StandardCharsets.UTF_8));
            boolean ok = expected.equals(ex.getRequestHeaders().getFirst("Authorization"));
            byte[] body = (ok ? "{\"token\":\"" + token + "\",\"expires_in\":300}"
                    : "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"who are you\"}]}")
                    .getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(ok ? 200 : 401, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
            return false;
        }
        if (("Bearer " + token).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
            return true;
        }
        ex.getResponseHeaders().add("WWW-Authenticate",
                "Bearer realm=\"http://" + self + "/token\",service=\"test\",scope=\"repository:x/y:pull\"");
        ex.sendResponseHeaders(401, -1);
        return false;
    }

    // f) what users are told when the registry cannot be used

    @Test
    void connectionRefusedNotFoundAndPlainHttpWithoutInsecure() throws Exception {
        int closed = LocalRegistry.freePort();
        String nobody = "127.0.0.1:" + closed;
        ImageStore s = freshStore("f");
        try (RegistryClient c = RegistryClient.builder().insecure(List.of(nobody))
                .credentials(Credentials.at(tmp.resolve("no-auth.json"), null)).build()) {
            assertThatThrownBy(() -> new Puller(c).pull(Reference.parse(nobody + "/x/y:1"), AMD64, s, Progress.none()))
                    .hasMessageStartingWith("cannot connect to registry " + nobody + " (GET http://" + nobody
                            + "/v2/x/y/manifests/1): connection refused; check the address and port");
        }
        try (RegistryClient c = RegistryClient.builder().credentials(Credentials.at(tmp.resolve("none.json"), null))
                .build()) {
            assertThatThrownBy(() -> new Puller(c).pull(Reference.parse(nobody + "/x/y:1"), AMD64, s, Progress.none()))
                    .hasMessageEndingWith("connection refused; check the address and port; if it serves plain http,"
                            + " allow that with --insecure " + nobody);
            assertThatThrownBy(() -> new Puller(c).pull(remote("x/a:v1"), AMD64, s, Progress.none()))
                    .hasMessageStartingWith("registry " + registry.address() + " (GET https://" + registry.address()
                            + "/v2/x/a/manifests/v1) did not speak TLS")
                    .hasMessageEndingWith("if it serves plain http, allow that with --insecure " + registry.address());
        }
        assertThatThrownBy(() -> new Puller(client).pull(remote("x/y:nope"), AMD64, s, Progress.none()))
                .hasMessageStartingWith("x/y:nope not found in " + registry.address());
        assertThat(s.names()).isEmpty();
    }

    // pull throughput against skopeo, same registry, same image (printed, not asserted)

    @Test
    void pullThroughputComparedWithSkopeo() throws Exception {
        long size = 200L * 1000 * 1000;
        ImageStore local = freshStore("perf-src");
        Path tar = tmp.resolve("big.tar");
        writeRandomTar(tar, size);
        Digest layer;
        try (InputStream in = Files.newInputStream(tar)) {
            layer = local.content().put(in, null, -1);
        }
        long layerSize = Files.size(tar);
        Files.delete(tar);
        Descriptor ld = Descriptor.of(MediaTypes.OCI_LAYER, layer.toString(), layerSize);
        dev.nido.oci.ImageConfig cfg = new dev.nido.oci.ImageConfig(null, null, "amd64", "linux", null,
                dev.nido.oci.ContainerConfig.empty(), new dev.nido.oci.ImageConfig.RootFs("layers",
                List.of(layer.toString())), List.of());
        Descriptor c = local.putJson(cfg, MediaTypes.OCI_CONFIG);
        Descriptor m = local.putJson(ImageManifest.oci(c, List.of(ld), Map.of()), MediaTypes.OCI_MANIFEST);
        local.tag(Reference.parse("perf:1"), m);
        long t0 = System.nanoTime();
        new Pusher(client).push(local, "perf:1", remote("x/perf:1"), AMD64, Progress.none());
        double push = seconds(t0);

        double[] nido = new double[2];
        for (int i = 0; i < nido.length; i++) {
            ImageStore dst = freshStore("perf-nido");
            long t = System.nanoTime();
            new Puller(client).pull(remote("x/perf:1"), AMD64, dst, Progress.none());
            nido[i] = seconds(t);
            assertThat(dst.content().size(layer)).isEqualTo(layerSize);
            deleteTree(dst.root());
        }
        double[] sk = new double[2];
        for (int i = 0; i < sk.length; i++) {
            Path dir = Files.createTempDirectory(tmp, "perf-skopeo");
            long t = System.nanoTime();
            skopeo("copy", "--src-tls-verify=false", "docker://" + registry.address() + "/x/perf:1",
                    "oci:" + dir + ":perf");
            sk[i] = seconds(t);
            deleteTree(dir);
        }
        double mb = layerSize / 1e6;
        System.out.printf("pull throughput, %.1f MB layer from docker-registry on 127.0.0.1 (push took %.2f s):%n", mb, push);
        for (int i = 0; i < nido.length; i++) {
            System.out.printf("  run %d: nido %.2f s = %.0f MB/s; skopeo copy %.2f s = %.0f MB/s%n", i + 1,
                    nido[i], mb / nido[i], sk[i], mb / sk[i]);
        }
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    /** One file of {@code size} random bytes in a ustar archive, streamed (not held in memory). */
    private static void writeRandomTar(Path tar, long size) throws IOException {
        Random random = new Random(1);
        byte[] buf = new byte[1 << 20];
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(tar), 1 << 20)) {
            out.write(TestImages.header("random.bin", size));
            for (long left = size; left > 0; ) {
                random.nextBytes(buf);
                int n = (int) Math.min(buf.length, left);
                out.write(buf, 0, n);
                left -= n;
            }
            out.write(new byte[(int) ((512 - size % 512) % 512)]);
            out.write(new byte[1024]);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (var s = Files.walk(root)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
