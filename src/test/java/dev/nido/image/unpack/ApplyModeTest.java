package dev.nido.image.unpack;

import static dev.nido.image.unpack.Tars.tar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.nido.image.ImageException;
import dev.nido.image.unpack.UnpackOptions.Mode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** APPLY mode as any user: root=false, so nothing here needs privileges. */
class ApplyModeTest {
    private static final UnpackOptions APPLY = new UnpackOptions(Mode.APPLY, false, null);

    @TempDir
    Path dir;

    private Path target() throws IOException {
        return Files.createDirectories(dir.resolve("target"));
    }

    static UnpackResult apply(byte[] layer, Path target) {
        return new LayerUnpacker().unpack("layer test", new ByteArrayInputStream(layer), target, APPLY);
    }

    @Test
    void makesFilesDirectoriesLinksAndModes() throws IOException {
        Path t = target();
        byte[] layer = tar().dir("etc")
                .add(TarEntry.file("etc/passwd", 0).withMode(0640).withMtime(1_600_000_000, 0), "root:x:0:0\n")
                .add(TarEntry.file("bin/su", 0).withMode(04755), "#!")
                .add(TarEntry.directory("tmp").withMode(01777).withMtime(1_500_000_000, 0))
                .add(TarEntry.directory("ro").withMode(0555).withMtime(1_400_000_000, 0))
                .file("ro/inside", "made before ro's mode is set")
                .add(TarEntry.symlink("etc/mtab", "/proc/mounts").withMtime(1_300_000_000, 0))
                .hardLink("etc/passwd-", "etc/passwd")
                .add(TarEntry.node("run/fifo", EntryType.FIFO, 0620, 0, 0))
                .bytes();
        UnpackResult r = apply(layer, t);
        assertThat(r.entries()).isEqualTo(9);
        assertThat(TreeSnapshot.of(t)).containsExactly(
                entry("bin", "dir"), entry("bin/su", "file:#!"),
                entry("etc", "dir"), entry("etc/mtab", "link:/proc/mounts"),
                entry("etc/passwd", "file:root:x:0:0\n"), entry("etc/passwd-", "file:root:x:0:0\n"),
                entry("ro", "dir"), entry("ro/inside", "file:made before ro's mode is set"),
                entry("run", "dir"), entry("run/fifo", "fifo"),
                entry("tmp", "dir"));
        assertThat(TreeSnapshot.mode(t.resolve("etc/passwd"))).isEqualTo(0640);
        assertThat(TreeSnapshot.mode(t.resolve("bin/su"))).isEqualTo(04755);
        assertThat(TreeSnapshot.mode(t.resolve("tmp"))).isEqualTo(01777);
        assertThat(TreeSnapshot.mode(t.resolve("ro"))).isEqualTo(0555);
        assertThat(TreeSnapshot.mode(t.resolve("run/fifo"))).isEqualTo(0620);
        assertThat(TreeSnapshot.mtime(t.resolve("etc/passwd"))).isEqualTo(1_600_000_000);
        assertThat(TreeSnapshot.mtime(t.resolve("tmp"))).isEqualTo(1_500_000_000);
        assertThat(TreeSnapshot.mtime(t.resolve("ro"))).isEqualTo(1_400_000_000); // after "ro/inside"
        assertThat(TreeSnapshot.mtime(t.resolve("etc/mtab"))).isEqualTo(1_300_000_000); // the link's own
        assertThat(Files.getAttribute(t.resolve("etc/passwd-"), "unix:ino"))
                .isEqualTo(Files.getAttribute(t.resolve("etc/passwd"), "unix:ino"));
        assertThat(r.skipped()).isEmpty();
    }

    @Test
    void subSecondMtimesAreKept() throws IOException {
        Path t = target();
        apply(tar().add(TarEntry.file("f", 0).withMtime(1_700_000_000, 123_456_789), "x").bytes(), t);
        assertThat(Files.getLastModifiedTime(t.resolve("f")).toInstant())
                .isEqualTo(Instant.ofEpochSecond(1_700_000_000, 123_456_789));
    }

    @Test
    void theRootEntrySetsTheTargetsModeOnly() throws IOException {
        Path t = target();
        apply(tar().add(TarEntry.directory("./").withMode(0750).withMtime(1_000_000_000, 0)).file("./a", "1").bytes(), t);
        assertThat(TreeSnapshot.mode(t)).isEqualTo(0750);
        assertThat(TreeSnapshot.mtime(t)).isEqualTo(1_000_000_000);
        assertThat(TreeSnapshot.of(t)).containsOnlyKeys("a");
        assertThatThrownBy(() -> apply(tar().file("./", "x").bytes(), t))
                .hasMessage("layer test: entry \"./\": a file cannot replace the layer root");
    }

    @Test
    void whiteoutsRemoveWhatLowerLayersLeft() throws IOException {
        Path t = target();
        apply(tar().dir("a").file("a/keep", "1").file("a/gone", "2").dir("a/sub").file("a/sub/deep", "3")
                .file("top", "4").bytes(), t);
        apply(tar().marker("a/.wh.gone").marker("a/.wh.sub").marker(".wh.top").marker(".wh.never-there")
                .marker("missing/.wh.x").bytes(), t);
        assertThat(TreeSnapshot.of(t)).containsExactly(entry("a", "dir"), entry("a/keep", "file:1"));
    }

    @Test
    void opaqueDirectoriesKeepOnlyThisLayersEntriesInAnyOrder() throws IOException {
        Path t = target();
        apply(tar().dir("o").file("o/lower1", "l").dir("o/lowerdir").file("o/lowerdir/f", "l").dir("o/both")
                .file("o/both/lower", "l").file("other", "kept").bytes(), t);
        apply(tar().dir("o").file("o/before", "b").dir("o/both").file("o/both/new", "n")
                .marker("o/.wh..wh..opq").file("o/after", "a").bytes(), t);
        assertThat(TreeSnapshot.of(t)).containsExactly(entry("o", "dir"), entry("o/after", "file:a"),
                entry("o/before", "file:b"), entry("o/both", "dir"), entry("o/both/new", "file:n"),
                entry("other", "file:kept"));
    }

    @Test
    void aWhiteoutDoesNotRemoveWhatTheSameLayerWrote() throws IOException {
        Path t = target();
        apply(tar().file("f", "lower").bytes(), t);
        apply(tar().file("f", "this layer").marker(".wh.f").bytes(), t);
        assertThat(TreeSnapshot.of(t)).containsExactly(entry("f", "file:this layer"));
    }

    @Test
    void replacesDirectoriesWithFilesAndBack() throws IOException {
        Path t = target();
        apply(tar().dir("d").file("d/x", "1").file("f", "2").symlink("l", "d").bytes(), t);
        apply(tar().file("d", "now a file").dir("f").file("f/y", "3").file("l", "replaces the link").bytes(), t);
        assertThat(TreeSnapshot.of(t)).containsExactly(entry("d", "file:now a file"), entry("f", "dir"),
                entry("f/y", "file:3"), entry("l", "file:replaces the link"));
    }

    @Test
    void aDirectoryEntryKeepsAnExistingDirectory() throws IOException {
        Path t = target();
        apply(tar().dir("d").file("d/x", "1").bytes(), t);
        apply(tar().add(TarEntry.directory("d").withMode(0700)).bytes(), t);
        assertThat(TreeSnapshot.of(t)).containsExactly(entry("d", "dir"), entry("d/x", "file:1"));
        assertThat(TreeSnapshot.mode(t.resolve("d"))).isEqualTo(0700);
    }

    @Test
    void rewritingAHardLinkedFileLeavesTheOtherNameAlone() throws IOException {
        Path t = target();
        apply(tar().file("a", "old").hardLink("b", "a").bytes(), t);
        apply(tar().file("a", "new").bytes(), t);
        assertThat(TreeSnapshot.of(t)).containsExactly(entry("a", "file:new"), entry("b", "file:old"));
    }

    @Test
    void hardLinksMustPointAtAnExistingNonDirectory() throws IOException {
        Path t = target();
        assertThatThrownBy(() -> apply(tar().hardLink("h", "nope").bytes(), t))
                .isInstanceOf(ImageException.class)
                .hasMessage("layer test: entry \"h\": hard link target \"nope\" does not exist in the layer");
        assertThatThrownBy(() -> apply(tar().dir("d").hardLink("h", "d").bytes(), t))
                .hasMessage("layer test: entry \"h\": hard link target \"d\" is a directory");
        assertThatThrownBy(() -> apply(tar().hardLink("h", "./").bytes(), t))
                .hasMessage("layer test: entry \"h\": hard link to the layer root");
    }

    @Test
    void aHardLinkToASymlinkLinksTheSymlink() throws IOException {
        Path t = target();
        apply(tar().symlink("l", "/etc/passwd").hardLink("h", "l").bytes(), t);
        assertThat(TreeSnapshot.describe(t.resolve("h"))).isEqualTo("link:/etc/passwd");
    }

    @Test
    void withoutRootDevicesAndPrivilegedXattrsAreSkippedNotFatal() throws IOException {
        Path t = target();
        UnpackResult r = apply(tar()
                .add(TarEntry.node("dev/sda", EntryType.BLOCK_DEVICE, 0660, 8, 0))
                .add(TarEntry.node("dev/null", EntryType.CHAR_DEVICE, 0666, 1, 3))
                .add(TarEntry.file("ping", 0).withXattrs(Map.of("security.capability", new byte[] {1},
                        "trusted.overlay.opaque", new byte[] {'y'})), "elf")
                .bytes(), t);
        assertThat(r.skipped()).containsExactly(
                "entry \"dev/sda\": block device 8:0 not created: not root",
                "entry \"dev/null\": character device 1:3 not created: not root",
                "entry \"ping\": xattr security.capability not set: not root",
                "entry \"ping\": xattr trusted.overlay.opaque not set: overlayfs attributes are not taken from layers");
        assertThat(TreeSnapshot.of(t)).containsExactly(entry("dev", "dir"), entry("ping", "file:elf"));
    }

    @Test
    void setsUserXattrs() throws IOException {
        Path t = target();
        apply(tar().add(TarEntry.file("f", 0).withXattrs(Map.of("user.test", "v".getBytes())), "x").bytes(), t);
        var view = Files.getFileAttributeView(t.resolve("f"), java.nio.file.attribute.UserDefinedFileAttributeView.class);
        assertThat(view.list()).containsExactly("test");
    }

    @Test
    void aufsMetadataIsIgnored() throws IOException {
        Path t = target();
        UnpackResult r = apply(tar().dir(".wh..wh.plnk").file(".wh..wh.plnk/1.2", "x").marker(".wh..wh.aufs")
                .file("real", "y").bytes(), t);
        assertThat(TreeSnapshot.of(t)).containsOnlyKeys("real");
        assertThat(r.skipped()).hasSize(3);
    }

    @Test
    void theDiffIdIsTheSha256OfTheUncompressedTarWhateverTheCompression() throws Exception {
        byte[] layer = tar().dir("a").file("a/b", "content".repeat(1000)).bytes();
        String expected = Tars.sha256(layer);
        UnpackResult plain = apply(layer, Files.createDirectories(dir.resolve("plain")));
        UnpackResult gzip = apply(Tars.gzip(layer), Files.createDirectories(dir.resolve("gzip")));
        UnpackResult zstd = apply(Zstd.compress(layer), Files.createDirectories(dir.resolve("zstd")));
        UnpackResult zstdCli = apply(Zstd.compressWithCli(layer), Files.createDirectories(dir.resolve("zstd-cli")));
        for (UnpackResult r : new UnpackResult[] {plain, gzip, zstd, zstdCli}) {
            assertThat(r.diffId()).isEqualTo(expected);
            assertThat(r.uncompressedBytes()).isEqualTo(layer.length);
        }
        for (String d : new String[] {"gzip", "zstd", "zstd-cli"}) {
            assertThat(TreeSnapshot.of(dir.resolve(d))).isEqualTo(TreeSnapshot.of(dir.resolve("plain")));
        }
    }

    @Test
    void theDiffIdCoversPaddingAfterTheEndOfArchive() throws IOException {
        byte[] layer = Tars.concat(tar().file("f", "x").bytes(), new byte[9216]);
        assertThat(apply(layer, target()).diffId()).isEqualTo(Tars.sha256(layer));
    }

    @Test
    void aWrongDiffIdFailsAfterUnpackingNamingBothDigests() throws IOException {
        Path t = target();
        byte[] layer = tar().file("f", "x").bytes();
        String wrong = "sha256:" + "0".repeat(64);
        assertThatThrownBy(() -> new LayerUnpacker().unpack("layer sha256:abc", new ByteArrayInputStream(layer), t,
                        new UnpackOptions(Mode.APPLY, false, wrong)))
                .isInstanceOf(ImageException.class)
                .hasMessage("layer sha256:abc: uncompressed content has digest " + Tars.sha256(layer)
                        + ", but the image config expects " + wrong);
        assertThat(t.resolve("f")).exists();
    }

    @Test
    void unsupportedCompressionsAreNamed() throws IOException {
        Path t = target();
        assertThatThrownBy(() -> apply(new byte[] {(byte) 0xfd, '7', 'z', 'X', 'Z', 0, 1, 2}, t))
                .hasMessage("layer test: xz-compressed layers are not supported (gzip, zstd or plain tar)");
        byte[] gz = Tars.gzip(tar().file("f", "x".repeat(10000)).bytes());
        byte[] cut = java.util.Arrays.copyOf(gz, gz.length / 2);
        assertThatThrownBy(() -> apply(cut, t)).isInstanceOf(ImageException.class)
                .hasMessageContaining("reading the archive");
    }

    @Test
    void overlayTargetsMustBeEmpty() throws IOException {
        Path t = target();
        Files.writeString(t.resolve("x"), "");
        assertThatThrownBy(() -> new LayerUnpacker().unpack("layer test", new ByteArrayInputStream(new byte[1024]), t,
                        new UnpackOptions(Mode.OVERLAY, false, null)))
                .hasMessageContaining("is not empty");
    }

    @Test
    void aFileUnderAFileIsRefused() throws IOException {
        Path t = target();
        assertThatThrownBy(() -> apply(tar().file("f", "x").file("f/g", "y").bytes(), t))
                .hasMessage("layer test: entry \"f/g\": \"f\" is not a directory");
        assertThat(Files.isRegularFile(t.resolve("f"), LinkOption.NOFOLLOW_LINKS)).isTrue();
    }
}
