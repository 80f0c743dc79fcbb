package dev.nido.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The image store through the {@code nido} command line, as a user runs it: templates, the store
 * read by skopeo and umoci, import/export/save/load round trips with independent tools, shared
 * snapshots, prune, and bad input.
 */
class ImagesIT {
    private EngineStore store;
    private Path dir;
    private Path root;

    @BeforeEach
    void setUp() throws IOException {
        store = new EngineStore("nido-images-it-");
        dir = store.dir;
        root = store.root;
    }

    @AfterEach
    void tearDown() throws IOException {
        store.close();
    }

    private Cli.Result nido(String... args) {
        return store.nido(args);
    }

    private Cli.Result ok(String... args) {
        return store.ok(args);
    }

    private static Cli.Result sh(String script) {
        Cli.Result r = Cli.raw(null, List.of("sh", "-c", script));
        assertThat(r.code()).as(script + "\n" + r).isZero();
        return r;
    }

    @Test
    void theBusyboxTemplateMakesAnImageThatIndependentToolsRead() {
        String id = ok("image", "create", "--template", "busybox").out().strip();
        assertThat(id).startsWith("sha256:");
        assertThat(ok("images").out()).contains("busybox").contains("latest").contains(id.substring(7, 19));
        assertThat(ok("images", "-q").out().strip()).isEqualTo(id.substring(7, 19));
        assertThat(ok("image", "inspect", "busybox").out()).contains("\"Cmd\"").contains("\"sh\"")
                .contains(id);
        // the store is an OCI image layout
        assertThat(sh("skopeo inspect --config oci:" + root + ":docker.io/library/busybox:latest").out())
                .contains("\"architecture\"");
        Path out = dir.resolve("umoci");
        sh("umoci unpack --image " + root + ":docker.io/library/busybox:latest " + out);
        assertThat(out.resolve("rootfs/bin/busybox")).isRegularFile();
        assertThat(Files.isSymbolicLink(out.resolve("rootfs/bin/ls"))).isTrue();
    }

    @Test
    void twoMountsOfOneImageShareItsSnapshotAndPruneKeepsWhatIsUsed() throws IOException {
        ok("image", "create", "--template", "busybox");
        Path a = Path.of(ok("image", "mount", "busybox").out().strip());
        Path b = Path.of(ok("image", "mount", "busybox").out().strip());
        Files.writeString(a.resolve("tmp/only-in-a"), "a");
        assertThat(b.resolve("tmp/only-in-a")).doesNotExist();
        assertThat(b.resolve("bin/busybox")).isRegularFile();
        try (Stream<Path> s = Files.list(root.resolve("snapshots"))) {
            assertThat(s.filter(p -> !p.getFileName().toString().startsWith(".")).count()).isEqualTo(1);
        }
        // each mount's own disk use is its upper directory: the image is not copied
        assertThat(sh("du -s " + a.getParent().resolve("upper") + " | cut -f1").out().strip())
                .satisfies(k -> assertThat(Long.parseLong(k)).isLessThan(64));
        ok("image", "rm", "busybox");
        assertThat(ok("image", "prune").out()).contains("Deleted snapshots: 0"); // still mounted
        assertThat(b.resolve("bin/busybox")).isRegularFile();
        ok("image", "unmount", a.toString());
        ok("image", "unmount", b.toString());
        assertThat(ok("image", "prune").out()).contains("Deleted snapshots: 1");
        try (Stream<Path> s = Files.list(root.resolve("blobs/sha256"))) {
            assertThat(s.count()).isZero();
        }
    }

    @Test
    void theCopyingSnapshotterGivesEachMountAFullTreeWithoutAMount() throws IOException {
        ok("image", "create", "--template", "busybox");
        List<String> copy = new ArrayList<>(List.of("env", "NIDO_SNAPSHOTTER=copy", Cli.HOME.resolve("bin/nido").toString(),
                "--root", root.toString()));
        List<String> mountCmd = new ArrayList<>(copy);
        mountCmd.addAll(List.of("image", "mount", "busybox"));
        Cli.Result a = Cli.raw(null, mountCmd);
        Cli.Result b = Cli.raw(null, mountCmd);
        assertThat(a.code()).as(a.toString()).isZero();
        assertThat(b.code()).as(b.toString()).isZero();
        Path ra = Path.of(a.out().strip());
        Path rb = Path.of(b.out().strip());
        Files.writeString(ra.resolve("tmp/only-in-a"), "a");
        assertThat(rb.resolve("tmp/only-in-a")).doesNotExist();
        assertThat(rb.resolve("bin/busybox")).isRegularFile();
        assertThat(Sandbox.hostMountsUnder(dir)).isEmpty(); // copies, not mounts
        try (Stream<Path> s = Files.list(root.resolve("snapshots"))) {
            assertThat(s.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("copy-"));
        }
        assertThat(ok("system", "check").out()).contains("consistent");
        List<String> build = new ArrayList<>(copy);
        build.addAll(List.of("build", dir.toString()));
        assertThat(Cli.raw(null, build).err()).contains("overlayfs");
        ok("image", "unmount", ra.toString());
        ok("image", "unmount", rb.toString());
        ok("image", "rm", "busybox");
        assertThat(ok("image", "prune").out()).contains("Deleted snapshots: 1");
    }

    @Test
    void importExportSaveAndLoadRoundTripWithIndependentTools() throws IOException {
        ok("image", "create", "--template", "busybox");
        // export merged rootfs, import it back with a config change: same files, new image
        Path rootfsTar = dir.resolve("rootfs.tar");
        ok("export", "busybox", "-o", rootfsTar.toString());
        assertThat(sh("tar -tf " + rootfsTar + " | grep -c '^bin/'").out().strip()).isNotEqualTo("0");
        sh("gzip -k " + rootfsTar);
        ok("import", "-c", "CMD [\"/bin/echo\", \"imported\"]", "-c", "ENV GREETING=hi", rootfsTar + ".gz", "mine:1");
        assertThat(ok("image", "inspect", "mine:1").out()).contains("imported").contains("GREETING=hi")
                .contains("tar+gzip");
        // oci-archive read by skopeo; docker archive written by skopeo read by nido
        Path oci = dir.resolve("oci.tar");
        ok("save", "-o", oci.toString(), "mine:1");
        assertThat(sh("skopeo inspect oci-archive:" + oci + ":docker.io/library/mine:1").out()).contains("Layers");
        Path docker = dir.resolve("docker.tar");
        sh("skopeo copy -q oci:" + root + ":docker.io/library/busybox:latest docker-archive:" + docker
                + ":fromskopeo/bb:2");
        Path other = dir.resolve("store2");
        Cli.Result load = Cli.raw(null, List.of(Cli.HOME.resolve("bin/nido").toString(), "--root", other.toString(),
                "load", "-i", docker.toString()));
        assertThat(load.code()).as(load.toString()).isZero();
        assertThat(load.out()).contains("fromskopeo/bb:2");
        Cli.Result mount = Cli.raw(null, List.of(Cli.HOME.resolve("bin/nido").toString(), "--root", other.toString(),
                "image", "mount", "fromskopeo/bb:2"));
        assertThat(mount.code()).as(mount.toString()).isZero();
        Path m = Path.of(mount.out().strip());
        assertThat(m.resolve("bin/busybox")).isRegularFile();
        Cli.raw(null, List.of(Cli.HOME.resolve("bin/nido").toString(), "--root", other.toString(), "image", "unmount",
                m.toString()));
        // an OCI layout directory both ways: nido writes one, skopeo copies it (recompressing), nido reads that
        Path layout = dir.resolve("layout");
        ok("save", "--format", "oci-dir", "-o", layout.toString(), "mine:1");
        sh("skopeo copy -q oci:" + layout + ":docker.io/library/mine:1 oci:" + dir.resolve("layout2") + ":again/mine:2");
        assertThat(ok("load", "-i", dir.resolve("layout2").toString()).out()).contains("again/mine:2");
        assertThat(ok("image", "inspect", "again/mine:2").out()).contains("imported");
    }

    @Test
    void theHostBinaryTemplateHoldsExactlyTheProgramAndItsLibraries() throws IOException {
        ok("image", "create", "--template", "host-binary", "-o", "binary=/usr/bin/ls");
        Path m = Path.of(ok("image", "mount", "host-ls").out().strip());
        assertThat(m.resolve("usr/bin/ls")).isRegularFile();
        for (String lib : sh("ldd /usr/bin/ls | grep -o '/[^ ]*'").out().split("\n")) {
            assertThat(m.resolve(lib.substring(1))).as(lib).exists();
        }
        // the program really runs in it, and nothing else is there
        assertThat(sh("chroot " + m + " /usr/bin/ls /").out()).contains("usr");
        assertThat(m.resolve("bin/sh")).doesNotExist();
        ok("image", "unmount", m.toString());
    }

    @Test
    void badInputGetsOneClearErrorAndLeavesNothing() throws IOException {
        Path notTar = dir.resolve("not.tar");
        Files.writeString(notTar, "this is not a tar archive, not at all; it is long enough to have a header? no.\n"
                .repeat(20));
        Cli.Result r = nido("import", notTar.toString(), "bad:1");
        assertThat(r.code()).isEqualTo(125);
        assertThat(r.err()).contains("not.tar").doesNotContain("Exception");
        if (Files.isDirectory(root.resolve("blobs/sha256"))) {
            try (Stream<Path> s = Files.list(root.resolve("blobs/sha256"))) {
                assertThat(s.count()).as("blobs left by a failed import").isZero();
            }
        }
        assertThat(nido("image", "inspect", "nothere:1").err()).contains("not in the store").doesNotContain("Exception");
        assertThat(nido("image", "create", "--template", "nosuch").err()).contains("nido template ls");
        assertThat(nido("import", notTar.toString(), "Bad:Name").err()).contains("invalid");
        assertThat(nido("pull", "--platform", "linux", "x").err()).contains("OS/ARCH");
        assertThat(nido("load", "-i", notTar.toString()).err()).contains("not.tar").doesNotContain("Exception");
    }
}
