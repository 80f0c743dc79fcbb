package dev.nido.image.store;

import dev.nido.image.ImageException;
import dev.nido.oci.ContainerConfig;
import dev.nido.oci.Descriptor;
import dev.nido.oci.ImageConfig;
import dev.nido.oci.ImageIndex;
import dev.nido.oci.ImageManifest;
import dev.nido.oci.MediaTypes;
import dev.nido.oci.Platform;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StoreTest {
    @TempDir
    Path root;

    @Test
    void blobsAreStoredByDigestAndCheckedOnTheWayIn() {
        ContentStore cs = new ContentStore(root);
        byte[] data = "hello".getBytes(StandardCharsets.UTF_8);
        Digest d = cs.put(data);
        assertThat(d.toString()).isEqualTo("sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
        assertThat(cs.read(d)).isEqualTo(data);
        Digest wrong = Digest.of("other".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> cs.put(new ByteArrayInputStream(data), wrong, -1))
                .isInstanceOf(ImageException.class).hasMessageContaining("content has digest " + d);
        assertThat(cs.has(wrong)).isFalse();
        assertThatThrownBy(() -> cs.put(new ByteArrayInputStream("abc".getBytes()), null, 5))
                .hasMessageContaining("got 3 bytes, expected 5");
        assertThat(cs.leftovers()).isEmpty();
    }

    @Test
    void anInterruptedIngestResumesWhereItStopped() throws IOException {
        ContentStore cs = new ContentStore(root);
        byte[] data = new byte[3_000_000];
        new java.util.Random(1).nextBytes(data);
        Digest d = Digest.of(data);
        try (Ingest in = cs.ingest(d, data.length)) {
            in.output().write(data, 0, 1_000_000); // then the process "dies": no commit
        }
        assertThat(cs.has(d)).isFalse();
        try (Ingest in = cs.ingest(d, data.length)) {
            assertThat(in.offset()).isEqualTo(1_000_000);
            in.output().write(data, 1_000_000, data.length - 1_000_000);
            in.commit();
        }
        assertThat(cs.read(d)).isEqualTo(data);
        assertThat(cs.leftovers()).isEmpty();
    }

    @Test
    void aCorruptIngestIsNotStoredAndStartsAgain() throws IOException {
        ContentStore cs = new ContentStore(root);
        byte[] data = "the real content".getBytes(StandardCharsets.UTF_8);
        Digest d = Digest.of(data);
        try (Ingest in = cs.ingest(d, data.length)) {
            in.output().write("the fake content".getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(in::commit).hasMessageContaining("corrupt or tampered");
        }
        assertThat(cs.has(d)).isFalse();
        try (Ingest in = cs.ingest(d, data.length)) {
            assertThat(in.offset()).isZero();
        }
    }

    private Image storeImage(ImageStore s, String name, String content) {
        Descriptor layer = Descriptor.of(MediaTypes.OCI_LAYER, s.content().put(content.getBytes()).toString(),
                content.length());
        ImageConfig cfg = new ImageConfig(null, null, "amd64", "linux", null, ContainerConfig.empty(),
                new ImageConfig.RootFs("layers", List.of(layer.digest())), List.of());
        Descriptor c = s.putJson(cfg, MediaTypes.OCI_CONFIG);
        Descriptor m = s.putJson(ImageManifest.oci(c, List.of(layer), Map.of()), MediaTypes.OCI_MANIFEST);
        s.tag(Reference.parse(name), m);
        return s.resolve(name, Platform.host());
    }

    @Test
    void namesLiveInAnOciLayoutIndexAndResolveByNameOrId() throws IOException {
        ImageStore s = new ImageStore(root);
        Image img = storeImage(s, "demo:1", "layer-1");
        assertThat(Files.readString(root.resolve("oci-layout"))).contains("1.0.0");
        assertThat(Files.readString(root.resolve("index.json"))).contains("docker.io/library/demo:1");
        assertThat(s.resolve("docker.io/library/demo:1", Platform.host()).id()).isEqualTo(img.id());
        assertThat(s.resolve(img.id().shortHex(), Platform.host()).name()).isEqualTo("docker.io/library/demo:1");
        assertThatThrownBy(() -> s.resolve("demo:2", Platform.host())).hasMessageContaining("not in the store");
        s.tag(Reference.parse("demo:latest"), img.top());
        assertThat(s.names()).containsOnlyKeys("docker.io/library/demo:1", "docker.io/library/demo:latest");
    }

    @Test
    void pruneKeepsWhatNamesReachAndRemovesTheRest() {
        ImageStore s = new ImageStore(root);
        Image keep = storeImage(s, "keep:1", "kept layer");
        Image drop = storeImage(s, "drop:1", "dropped layer");
        assertThat(s.untag(Reference.parse("drop:1"))).isTrue();
        long freed = s.prune();
        assertThat(freed).isPositive();
        assertThat(s.content().has(Digest.parse(keep.layers().get(0).digest(), "t"))).isTrue();
        assertThat(s.content().has(Digest.parse(drop.layers().get(0).digest(), "t"))).isFalse();
        assertThat(s.content().has(drop.id())).isFalse();
        assertThat(s.resolve("keep:1", Platform.host()).config().architecture()).isEqualTo("amd64");
    }

    @Test
    void anIndexGivesThePlatformsManifest() {
        ImageStore s = new ImageStore(root);
        Image amd = storeImage(s, "a:1", "amd");
        Descriptor arm = amd.manifestDescriptor().withPlatform(Platform.parse("linux/arm64/v8"));
        Descriptor x86 = amd.manifestDescriptor().withPlatform(Platform.parse("linux/amd64"));
        Descriptor idx = s.putJson(ImageIndex.oci(List.of(arm, x86)), MediaTypes.OCI_INDEX);
        s.tag(Reference.parse("multi:1"), idx);
        assertThat(s.resolve("multi:1", Platform.parse("linux/arm64")).manifestDescriptor().platform().variant())
                .isEqualTo("v8");
        assertThatThrownBy(() -> s.resolve("multi:1", Platform.parse("linux/s390x")))
                .hasMessageContaining("no image for linux/s390x").hasMessageContaining("linux/arm64/v8, linux/amd64");
    }
}
