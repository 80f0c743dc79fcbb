package dev.nido.image.registry;

import dev.nido.image.store.ContentStore;
import dev.nido.image.store.Digest;
import dev.nido.image.store.ImageStore;
import dev.nido.image.store.Ingest;
import dev.nido.image.store.Reference;
import dev.nido.oci.Descriptor;
import dev.nido.oci.Platform;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Range requests and resumption of blob downloads, against {@link FakeRegistry}. */
class ResumeTest {
    @TempDir
    Path tmp;
    FakeRegistry registry;
    RegistryClient client;
    ImageStore source;
    Descriptor manifest;
    byte[] big;
    Digest bigDigest;
    Reference ref;

    @BeforeEach
    void setUp() throws IOException {
        registry = new FakeRegistry();
        client = RegistryClient.builder().insecure(List.of(registry.registry()))
                .credentials(Credentials.at(tmp.resolve("auth.json"), null)).idleTimeout(Duration.ofMillis(500))
                .build();
        source = new ImageStore(tmp.resolve("source"));
        big = new byte[3_000_000];
        new Random(7).nextBytes(big);
        bigDigest = Digest.of(big);
        manifest = TestImages.image(source, "amd64", List.of(
                new TestImages.Layer(dev.nido.oci.MediaTypes.OCI_LAYER_GZIP, big, bigDigest)));
        registry.serve(source, "x/y", "t", manifest);
        ref = Reference.parse(registry.registry() + "/x/y:t");
    }

    @AfterEach
    void tearDown() {
        client.close();
        registry.close();
    }

    private String bigPath() {
        return "/blobs/" + bigDigest;
    }

    @Test
    void aPartialBlobIsResumedWithARangeRequest() throws IOException {
        ImageStore store = new ImageStore(tmp.resolve("dest"));
        try (Ingest in = store.content().ingest(bigDigest, big.length)) {
            in.output().write(big, 0, 1_000_000); // an earlier pull was killed here
        }
        new Puller(client).pull(ref, Platform.parse("linux/amd64"), store, Progress.none());
        assertThat(store.content().read(bigDigest)).isEqualTo(big);
        assertThat(registry.requests("GET", bigPath())).singleElement()
                .extracting(FakeRegistry.Request::range).isEqualTo("bytes=1000000-");
        assertThat(store.content().leftovers()).isEmpty();
    }

    @Test
    void aServerThatIgnoresRangeSendsEverythingAndTheIngestStartsAgain() throws IOException {
        registry.honourRange = false;
        ImageStore store = new ImageStore(tmp.resolve("dest"));
        try (Ingest in = store.content().ingest(bigDigest, big.length)) {
            in.output().write(big, 0, 1_000_000);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new Puller(client).pull(ref, Platform.parse("linux/amd64"), store, Progress.plain(new PrintStream(out, true)));
        assertThat(store.content().read(bigDigest)).isEqualTo(big);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("cannot resume downloads; starting again");
    }

    @Test
    void aCutDownloadFailsWithoutRetriesAndTheNextPullResumesIt() {
        registry.cutAfter = 1_200_000;
        ImageStore store = new ImageStore(tmp.resolve("dest"));
        assertThatThrownBy(() -> new Puller(client, 1).pull(ref, Platform.parse("linux/amd64"), store, Progress.none()))
                .hasMessageContaining("download of blob " + bigDigest + " from " + registry.registry() + "/x/y failed"
                        + " after 1.2 MB of 3.0 MB")
                .hasMessageContaining("pull again to resume");
        assertThat(store.content().has(bigDigest)).isFalse();
        assertThat(store.names()).isEmpty();

        new Puller(client, 1).pull(ref, Platform.parse("linux/amd64"), store, Progress.none());
        assertThat(store.content().read(bigDigest)).isEqualTo(big);
        assertThat(registry.requests("GET", bigPath())).extracting(FakeRegistry.Request::range)
                .containsExactly(null, "bytes=1200000-");
        assertThat(store.names()).containsOnlyKeys(ref.toString());
    }

    @Test
    void aCutDownloadIsRetriedAndResumedWithinOnePull() {
        registry.cutAfter = 700_000;
        ImageStore store = new ImageStore(tmp.resolve("dest"));
        new Puller(client).pull(ref, Platform.parse("linux/amd64"), store, Progress.none());
        assertThat(store.content().read(bigDigest)).isEqualTo(big);
        assertThat(registry.requests("GET", bigPath())).extracting(FakeRegistry.Request::range)
                .containsExactly(null, "bytes=700000-");
    }

    @Test
    void aStalledDownloadIsGivenUpAfterTheIdleTimeoutAndResumed() {
        registry.stallAfter = 500_000;
        ImageStore store = new ImageStore(tmp.resolve("dest"));
        long start = System.nanoTime();
        new Puller(client).pull(ref, Platform.parse("linux/amd64"), store, Progress.none());
        assertThat(store.content().read(bigDigest)).isEqualTo(big);
        assertThat(registry.requests("GET", bigPath())).extracting(FakeRegistry.Request::range)
                .containsExactly(null, "bytes=500000-");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
    }

    @Test
    void blobsAlreadyInTheStoreAreNotDownloaded() {
        ImageStore store = new ImageStore(tmp.resolve("dest"));
        ContentStore cs = store.content();
        cs.put(big);
        new Puller(client).pull(ref, Platform.parse("linux/amd64"), store, Progress.none());
        assertThat(registry.requests("GET", bigPath())).isEmpty();
        assertThat(store.resolve(ref.toString(), Platform.parse("linux/amd64")).layers()).hasSize(1);
    }
}
