package dev.nido.image.registry;

import dev.nido.image.store.Digest;
import dev.nido.image.store.ImageStore;
import dev.nido.image.store.Reference;
import dev.nido.oci.Descriptor;
import dev.nido.oci.ImageIndex;
import dev.nido.oci.ImageManifest;
import dev.nido.oci.MediaTypes;
import dev.nido.oci.Platform;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PusherTest {
    private static final Platform AMD64 = Platform.parse("linux/amd64");
    @TempDir
    Path tmp;
    FakeRegistry registry;
    RegistryClient client;
    ImageStore store;

    @BeforeEach
    void setUp() throws IOException {
        registry = new FakeRegistry();
        client = RegistryClient.builder().insecure(List.of(registry.registry()))
                .credentials(Credentials.at(tmp.resolve("auth.json"), null)).build();
        store = new ImageStore(tmp.resolve("store"));
    }

    @AfterEach
    void tearDown() {
        client.close();
        registry.close();
    }

    private Reference remote(String rest) {
        return Reference.parse(registry.registry() + "/" + rest);
    }

    @ParameterizedTest
    @EnumSource(FakeRegistry.LocationStyle.class)
    void blobsThenTheManifestWhateverLocationTheRegistryGives(FakeRegistry.LocationStyle style) {
        registry.locationStyle = style;
        Descriptor m = TestImages.twoLayers(store, "amd64", "push");
        store.tag(Reference.parse("local:1"), m);
        Descriptor pushed = new Pusher(client).push(store, "local:1", remote("x/y:v1"), AMD64, Progress.none());
        assertThat(pushed.digest()).isEqualTo(m.digest());
        assertThat(pushed.annotations()).isEmpty();
        ImageManifest manifest = store.read(m, ImageManifest.class);
        assertThat(registry.blobs).hasSize(3);
        for (Descriptor d : manifest.layers()) {
            assertThat(registry.blobs.get(d.digest())).isEqualTo(store.content().read(Digest.parse(d.digest(), "t")));
        }
        FakeRegistry.Manifest got = registry.manifests.get("x/y:v1");
        assertThat(got.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
        assertThat(Digest.of(got.bytes()).toString()).isEqualTo(m.digest());
        List<String> order = registry.requests.stream().map(r -> r.method() + " " + r.path().replaceAll("\\?.*", ""))
                .filter(s -> s.startsWith("PUT")).toList();
        assertThat(order.getLast()).isEqualTo("PUT /v2/x/y/manifests/v1");
    }

    @Test
    void blobsTheRegistryHasAreNotUploadedAgain() {
        Descriptor m = TestImages.twoLayers(store, "amd64", "again");
        store.tag(Reference.parse("local:1"), m);
        new Pusher(client).push(store, "local:1", remote("x/y:v1"), AMD64, Progress.none());
        int posts = registry.requests("POST", "/blobs/uploads/").size();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new Pusher(client).push(store, "local:1", remote("x/y:v2"), AMD64, Progress.plain(new PrintStream(out, true)));
        assertThat(registry.requests("POST", "/blobs/uploads/")).hasSize(posts);
        assertThat(out.toString(StandardCharsets.UTF_8).lines()).hasSize(3).allMatch(l -> l.startsWith("exists sha256:"));
        assertThat(registry.manifests).containsKey("x/y:v2");
    }

    @Test
    void anIndexIsPushedWithAllItsManifestsFirst() {
        Descriptor idx = TestImages.multiPlatform(store, "multi:1");
        new Pusher(client).push(store, "multi:1", remote("x/m:1"), AMD64, Progress.none());
        List<String> puts = registry.requests("PUT", "/manifests/").stream().map(FakeRegistry.Request::path).toList();
        ImageIndex index = store.read(idx, ImageIndex.class);
        assertThat(puts).containsExactly("/v2/x/m/manifests/" + index.manifests().get(0).digest(),
                "/v2/x/m/manifests/" + index.manifests().get(1).digest(), "/v2/x/m/manifests/1");
        assertThat(registry.manifests.get("x/m:1").mediaType()).isEqualTo(MediaTypes.OCI_INDEX);
        assertThat(registry.blobs).hasSize(6);
    }

    @Test
    void anIndexMissingSomeManifestsPushesThePlatformsManifestAlone() {
        Descriptor amd = TestImages.twoLayers(store, "amd64", "here").withPlatform(AMD64);
        Descriptor absent = Descriptor.of(MediaTypes.OCI_MANIFEST, "sha256:" + "a".repeat(64), 100)
                .withPlatform(Platform.parse("linux/arm64"));
        store.tag(Reference.parse("partial:1"), store.putJson(ImageIndex.oci(List.of(amd, absent)), MediaTypes.OCI_INDEX));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Descriptor pushed = new Pusher(client).push(store, "partial:1", remote("x/p:1"), AMD64,
                Progress.plain(new PrintStream(out, true)));
        assertThat(pushed.digest()).isEqualTo(amd.digest());
        assertThat(registry.manifests.get("x/p:1").mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("partial:1: the store lacks the manifests for linux/arm64 of its index; pushing the"
                        + " linux/amd64 manifest alone");
    }

    @Test
    void pushingToADigestNeedsTheImagesDigest() {
        Descriptor m = TestImages.twoLayers(store, "amd64", "dig");
        store.tag(Reference.parse("local:1"), m);
        String other = "sha256:" + "b".repeat(64);
        assertThatThrownBy(() -> new Pusher(client).push(store, "local:1", remote("x/y@" + other), AMD64,
                Progress.none())).hasMessageContaining("the image is " + m.digest());
        new Pusher(client).push(store, "local:1", remote("x/y@" + m.digest()), AMD64, Progress.none());
        assertThat(registry.manifests).containsKey("x/y@" + m.digest());
    }

    @Test
    void uploadUrlsKeepTheirQueryAndResolveAgainstTheAnswer() {
        Digest d = Digest.of("x".getBytes());
        String enc = "sha256%3A" + d.hex();
        URI answered = URI.create("https://r.example:5000/v2/a/b/blobs/uploads/");
        assertThat(UploadBlob.putUri(answered, "/v2/a/b/blobs/uploads/u1", d).toString())
                .isEqualTo("https://r.example:5000/v2/a/b/blobs/uploads/u1?digest=" + enc);
        assertThat(UploadBlob.putUri(answered, "u2?_state=s%3D", d).toString())
                .isEqualTo("https://r.example:5000/v2/a/b/blobs/uploads/u2?_state=s%3D&digest=" + enc);
        assertThat(UploadBlob.putUri(answered, "https://upload.example/x?sig=1&", d).toString())
                .isEqualTo("https://upload.example/x?sig=1&digest=" + enc);
    }
}
