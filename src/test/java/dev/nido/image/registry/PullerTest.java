package dev.nido.image.registry;

import dev.nido.image.store.Digest;
import dev.nido.image.store.Image;
import dev.nido.image.store.ImageStore;
import dev.nido.image.store.Reference;
import dev.nido.oci.Descriptor;
import dev.nido.oci.ImageManifest;
import dev.nido.oci.Platform;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Pulls against {@link FakeRegistry}: what is verified, what is stored, what users are told. */
class PullerTest {
    private static final Platform AMD64 = Platform.parse("linux/amd64");
    @TempDir
    Path tmp;
    FakeRegistry registry;
    RegistryClient client;
    ImageStore source;
    ImageStore dest;
    Descriptor manifest;

    @BeforeEach
    void setUp() throws IOException {
        registry = new FakeRegistry();
        client = RegistryClient.builder().insecure(List.of(registry.registry()))
                .credentials(Credentials.at(tmp.resolve("auth.json"), null)).build();
        source = new ImageStore(tmp.resolve("source"));
        dest = new ImageStore(tmp.resolve("dest"));
        manifest = TestImages.twoLayers(source, "amd64", "one");
        registry.serve(source, "x/y", "t", manifest);
    }

    @AfterEach
    void tearDown() {
        client.close();
        registry.close();
    }

    private Reference ref(String rest) {
        return Reference.parse(registry.registry() + "/" + rest);
    }

    private void assertNothingStored() throws IOException {
        assertThat(dest.names()).isEmpty();
        assertThat(dest.content().list()).isEmpty();
        if (Files.exists(dest.root().resolve("ingest"))) {
            assertThat(dest.content().leftovers()).isEmpty();
        }
    }

    @Test
    void pullsByTagVerifiesAndNamesTheImageLast() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Image img = new Puller(client).pull(ref("x/y:t"), AMD64, dest, Progress.plain(new PrintStream(out, true)));
        assertThat(img.name()).isEqualTo(registry.registry() + "/x/y:t");
        assertThat(img.manifestDescriptor().digest()).isEqualTo(manifest.digest());
        ImageManifest m = source.read(manifest, ImageManifest.class);
        for (Descriptor d : m.layers()) {
            Digest digest = Digest.parse(d.digest(), "t");
            assertThat(dest.content().read(digest)).isEqualTo(source.content().read(digest));
        }
        assertThat(img.config().architecture()).isEqualTo("amd64");
        String log = out.toString(StandardCharsets.UTF_8);
        String first = "sha256:" + Digest.parse(m.layers().get(0).digest(), "t").shortHex();
        assertThat(log).contains("pulling " + first + " (").contains("done " + first);
        assertThat(registry.requests("GET", "/manifests/t")).singleElement()
                .satisfies(r -> assertThat(r.authorization()).isNull());
    }

    @Test
    void aManifestThatDoesNotMatchThePinnedDigestIsRefusedAndNothingIsStored() throws IOException {
        Descriptor other = TestImages.twoLayers(source, "amd64", "other");
        String pinned = other.digest();
        // the registry answers the pinned digest with different content (and a matching-looking header)
        registry.manifests.put("x/y@" + pinned, registry.manifests.get("x/y:t"));
        registry.digestHeader = pinned;
        assertThatThrownBy(() -> new Puller(client).pull(ref("x/y@" + pinned), AMD64, dest, Progress.none()))
                .hasMessageContaining(pinned).hasMessageContaining(manifest.digest())
                .hasMessageContaining("nothing was stored");
        registry.digestHeader = null;
        assertThatThrownBy(() -> new Puller(client).pull(ref("x/y:t@" + pinned), AMD64, dest, Progress.none()))
                .hasMessageContaining("the registry sent a manifest with digest " + manifest.digest())
                .hasMessageContaining("nothing was stored");
        assertNothingStored();
        assertThat(registry.requests("GET", "/blobs/")).isEmpty();
    }

    @Test
    void aDockerContentDigestHeaderThatDisagreesIsRefused() throws IOException {
        String lie = "sha256:" + "0".repeat(64);
        registry.digestHeader = lie;
        assertThatThrownBy(() -> new Puller(client).pull(ref("x/y:t"), AMD64, dest, Progress.none()))
                .hasMessage(registry.registry() + "/x/y:t: the registry says the manifest is " + lie
                        + " but its content has digest " + manifest.digest() + " (corrupt or tampered; nothing was stored)");
        assertNothingStored();
    }

    @Test
    void aPinnedDigestIsPulledAndNamedByIt() {
        Image img = new Puller(client).pull(ref("x/y@" + manifest.digest()), AMD64, dest, Progress.none());
        assertThat(img.name()).isEqualTo(registry.registry() + "/x/y@" + manifest.digest());
        assertThat(dest.names()).containsOnlyKeys(registry.registry() + "/x/y@" + manifest.digest());
        Image tagged = new Puller(client).pull(ref("x/y:t@" + manifest.digest()), AMD64, dest, Progress.none());
        assertThat(tagged.name()).isEqualTo(registry.registry() + "/x/y:t");
    }

    @Test
    void aBlobWithWrongContentIsNotStoredNorIsTheName() {
        ImageManifest m = source.read(manifest, ImageManifest.class);
        String layer = m.layers().get(1).digest();
        byte[] real = registry.blobs.get(layer);
        byte[] bad = real.clone();
        bad[bad.length / 2] ^= 1;
        registry.blobs.put(layer, bad);
        assertThatThrownBy(() -> new Puller(client).pull(ref("x/y:t"), AMD64, dest, Progress.none()))
                .hasMessageContaining("blob " + layer + ": content has digest sha256:")
                .hasMessageContaining("corrupt or tampered").hasMessageContaining(registry.registry() + "/x/y");
        assertThat(dest.content().has(Digest.parse(layer, "t"))).isFalse();
        assertThat(dest.names()).isEmpty();
    }

    @Test
    void notFoundUnknownTypesAndSchema1AreNamed() {
        assertThatThrownBy(() -> new Puller(client).pull(ref("x/y:nope"), AMD64, dest, Progress.none()))
                .hasMessage("x/y:nope not found in " + registry.registry() + ": MANIFEST_UNKNOWN: manifest unknown");
        String artifact = "application/vnd.example.thing.v1+json";
        registry.manifests.put("x/y:art", new FakeRegistry.Manifest(artifact,
                ("{\"schemaVersion\":2,\"mediaType\":\"" + artifact + "\",\"blobs\":[]}").getBytes()));
        assertThatThrownBy(() -> new Puller(client).pull(ref("x/y:art"), AMD64, dest, Progress.none()))
                .hasMessage(registry.registry() + "/x/y:art: the registry sent a manifest of media type " + artifact
                        + ", which nido does not know (it reads OCI and Docker schema 2 images and indexes)");
        registry.manifests.put("x/y:old", new FakeRegistry.Manifest(GetManifest.SCHEMA1_SIGNED,
                "{\"schemaVersion\":1,\"name\":\"x/y\",\"fsLayers\":[]}".getBytes()));
        assertThatThrownBy(() -> new Puller(client).pull(ref("x/y:old"), AMD64, dest, Progress.none()))
                .hasMessageContaining("Docker schema 1 manifests are not supported");
    }

    @Test
    void anIndexGivesThePlatformsManifestAndOnlyItsBlobsAreFetched() {
        Descriptor idx = TestImages.multiPlatform(source, "multi:1");
        registry.serve(source, "x/multi", "1", idx);
        Image arm = new Puller(client).pull(ref("x/multi:1"), Platform.parse("linux/arm64"), dest, Progress.none());
        assertThat(arm.config().architecture()).isEqualTo("arm64");
        assertThat(arm.top().digest()).isEqualTo(idx.digest());
        int armBlobs = registry.requests("GET", "/blobs/").size();
        assertThat(armBlobs).isEqualTo(3);
        Image amd = new Puller(client).pull(ref("x/multi:1"), AMD64, dest, Progress.none());
        assertThat(amd.config().architecture()).isEqualTo("amd64");
        assertThatThrownBy(() -> new Puller(client).pull(ref("x/multi:1"), Platform.parse("linux/s390x"), dest,
                Progress.none()))
                .hasMessage(registry.registry() + "/x/multi:1: no image for linux/s390x (it has: linux/amd64,"
                        + " linux/arm64/v8); choose one with --platform");
    }

    @Test
    void aSingleManifestForAnotherPlatformIsPulledWithAWarning() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new Puller(client).pull(ref("x/y:t"), Platform.parse("linux/arm64"), dest, Progress.plain(new PrintStream(out)));
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("warning: " + registry.registry() + "/x/y:t is an image for linux/amd64, not linux/arm64");
    }
}
