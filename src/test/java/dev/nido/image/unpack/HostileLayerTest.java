package dev.nido.image.unpack;

import static dev.nido.image.unpack.Tars.concat;
import static dev.nido.image.unpack.Tars.data;
import static dev.nido.image.unpack.Tars.header;
import static dev.nido.image.unpack.Tars.tar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nido.image.ImageException;
import dev.nido.image.unpack.UnpackOptions.Mode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Layers built to escape: each is either contained in the target or refused with a message
 * naming the entry, and never writes beside it. Beside the target: an empty directory
 * {@code outside}, a host file, and (where a case needs one) {@code outside-with-file/f}; after
 * every case they are exactly as before. Every case runs in both modes, as any user.
 */
class HostileLayerTest {
    private static final String SECRET = "host secret\n";

    @TempDir
    Path dir;
    private Path target;
    private int targets;
    private Path outside;
    private Path hostFile;
    private Path guarded;

    @BeforeEach
    void setUp() throws IOException {
        outside = Files.createDirectories(dir.resolve("outside"));
        hostFile = Files.writeString(dir.resolve("host-file"), SECRET);
        guarded = Files.createDirectories(dir.resolve("outside-with-file"));
        Files.writeString(guarded.resolve("f"), SECRET);
        Files.setLastModifiedTime(outside, java.nio.file.attribute.FileTime.fromMillis(1_000_000_000_000L));
        Files.setAttribute(outside, "unix:mode", 0700);
    }

    @AfterEach
    void nothingChangedBesideTheTarget() throws IOException {
        assertThat(TreeSnapshot.of(dir).keySet()).filteredOn(p -> !p.startsWith("target"))
                .containsExactlyInAnyOrder("outside", "host-file", "outside-with-file", "outside-with-file/f");
        assertThat(Files.readString(hostFile)).isEqualTo(SECRET);
        assertThat(Files.readString(guarded.resolve("f"))).isEqualTo(SECRET);
        assertThat(TreeSnapshot.mode(outside)).isEqualTo(0700);
        assertThat(TreeSnapshot.mtime(outside)).isEqualTo(1_000_000_000L);
    }

    /** Unpacks into a fresh target (an OVERLAY target must be empty). */
    private UnpackResult unpack(Mode mode, byte[] layer) throws IOException {
        target = Files.createDirectories(dir.resolve("target" + targets++));
        return new LayerUnpacker().unpack("layer sha256:bad", new ByteArrayInputStream(layer), target,
                new UnpackOptions(mode, false, null));
    }

    private void refused(Mode mode, byte[] layer, String entry, String problem) {
        assertThatThrownBy(() -> unpack(mode, layer))
                .isInstanceOf(ImageException.class)
                .hasMessage("layer sha256:bad: entry \"" + entry + "\": " + problem);
    }

    private String abs(Path p) {
        return p.toAbsolutePath().toString();
    }

    private String inTarget(String rel) {
        return TreeSnapshot.describe(target.resolve(rel));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void dotDotIsRefused(Mode mode) throws IOException {
        refused(mode, tar().file("../../etc/x", "pwned").bytes(), "../../etc/x", "path escapes the layer root");
        refused(mode, tar().file("../outside/x", "pwned").bytes(), "../outside/x", "path escapes the layer root");
        refused(mode, tar().file("a/../../outside/x", "pwned").bytes(), "a/../../outside/x",
                "path escapes the layer root");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void absoluteNamesAreRelativeToTheTarget(Mode mode) throws IOException {
        unpack(mode, tar().file("/outside/x", "contained").file(abs(outside) + "/y", "contained").bytes());
        assertThat(inTarget("outside/x")).isEqualTo("file:contained");
        assertThat(inTarget(abs(outside).substring(1) + "/y")).isEqualTo("file:contained");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aSymlinkToSlashLeadsToTheTarget(Mode mode) throws IOException {
        unpack(mode, tar().symlink("evil", "/").file("evil/outside/x", "contained")
                .symlink("evil2", abs(dir)).file("evil2/outside/z", "contained").bytes());
        assertThat(inTarget("outside/x")).isEqualTo("file:contained");
        assertThat(inTarget(abs(dir).substring(1) + "/outside/z")).isEqualTo("file:contained");
        assertThat(inTarget("evil")).isEqualTo("link:/");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aSymlinkClimbingUpStopsAtTheTarget(Mode mode) throws IOException {
        unpack(mode, tar().symlink("up", "../..").file("up/outside/x", "contained")
                .dir("a").symlink("a/up", "../../../../..").file("a/up/y", "contained").bytes());
        assertThat(inTarget("outside/x")).isEqualTo("file:contained");
        assertThat(inTarget("y")).isEqualTo("file:contained");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void chainedRelativeSymlinksStayInside(Mode mode) throws IOException {
        // CVE-2020-27833's layer: each link is harmless alone, chained they climbed out
        unpack(mode, tar().dir("subdir").symlink("subdir/parent", "..")
                .symlink("subdir/parent/escapes", "..").file("subdir/parent/escapes/outside/x", "contained")
                .bytes());
        assertThat(inTarget("escapes")).isEqualTo("link:..");
        assertThat(inTarget("outside/x")).isEqualTo("file:contained");
        // "etc -> ../../etc" made at the root resolves to itself, as under openat2(RESOLVE_IN_ROOT)
        refused(mode, tar().dir("subdir").symlink("subdir/parent", "..").symlink("subdir/parent/etc", "../../etc")
                .file("subdir/parent/etc/y", "no").bytes(), "subdir/parent/etc/y",
                "too many levels of symbolic links (at \"etc\")");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void hardLinksToHostFilesAreRefused(Mode mode) throws IOException {
        refused(mode, tar().hardLink("pw", "/etc/passwd").bytes(), "pw",
                "hard link target \"/etc/passwd\" does not exist in the layer");
        refused(mode, tar().hardLink("pw", abs(hostFile)).bytes(), "pw",
                "hard link target \"" + abs(hostFile) + "\" does not exist in the layer");
        refused(mode, tar().hardLink("f", "../outside-with-file/f").bytes(), "f",
                "hard link target \"../outside-with-file/f\" escapes the layer root");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void hardLinksThroughSymlinksStayInside(Mode mode) throws IOException {
        refused(mode, tar().symlink("host", abs(dir)).hardLink("h", "host/host-file").bytes(), "h",
                "hard link target \"host/host-file\" does not exist in the layer");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aHardLinkToASymlinkPointingOutIsJustALinkToTheSymlink(Mode mode) throws IOException {
        unpack(mode, tar().symlink("l", abs(hostFile)).hardLink("h", "l").file("h", "replaces h").bytes());
        assertThat(inTarget("l")).isEqualTo("link:" + abs(hostFile));
        assertThat(inTarget("h")).isEqualTo("file:replaces h");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void whiteoutsOfDotAndDotDotAreRefused(Mode mode) throws IOException {
        refused(mode, tar().marker(".wh...").bytes(), ".wh...", "invalid whiteout: it would remove \"..\"");
        refused(mode, tar().marker("a/.wh..").bytes(), "a/.wh..", "invalid whiteout: it would remove \".\"");
        refused(mode, tar().marker("a/.wh.").bytes(), "a/.wh.", "invalid whiteout: it would remove \"\"");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void whiteoutsAndOpaqueMarkersThroughSymlinksStayInside(Mode mode) throws IOException {
        unpack(mode, tar().symlink("d", abs(guarded)).marker("d/.wh.f").marker("d/.wh..wh..opq")
                .symlink("e", "../outside-with-file").marker("e/.wh.f").marker("e/.wh..wh..opq").bytes());
        assertThat(inTarget("d")).isEqualTo("link:" + abs(guarded));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aDirectoryReplacedBySymlinkOutIsNotWrittenThrough(Mode mode) throws IOException {
        unpack(mode, tar().dir("d").file("d/f", "1").symlink("d", abs(outside)).file("d/g", "contained")
                .dir("e").symlink("e", "../outside").file("e/h", "contained").bytes());
        assertThat(inTarget("d")).isEqualTo("link:" + abs(outside));
        assertThat(inTarget(abs(outside).substring(1) + "/g")).isEqualTo("file:contained");
        assertThat(inTarget("outside/h")).isEqualTo("file:contained");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aDeferredDirectoryModeIsNotAppliedThroughALaterSymlink(Mode mode) throws IOException {
        // "d" gets mode 0777 and an mtime at the end, but by then it is a symlink to outside.
        unpack(mode, tar().add(TarEntry.directory("d").withMode(0777).withMtime(5, 0))
                .symlink("d", abs(outside)).bytes());
        assertThat(inTarget("d")).isEqualTo("link:" + abs(outside));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void anEntryReplacingASymlinkReplacesTheLinkItself(Mode mode) throws IOException {
        unpack(mode, tar().symlink("l", abs(hostFile)).file("l", "new content")
                .symlink("m", abs(outside)).dir("m").add(TarEntry.directory("m").withMode(0777)).bytes());
        assertThat(inTarget("l")).isEqualTo("file:new content");
        assertThat(inTarget("m")).isEqualTo("dir");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void symlinkLoopsAreRefused(Mode mode) throws IOException {
        refused(mode, tar().symlink("a", "b").symlink("b", "a").file("a/x", "loop").bytes(), "a/x",
                "too many levels of symbolic links (at \"a\")");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aSelfLoopIsRefusedToo(Mode mode) throws IOException {
        refused(mode, tar().symlink("s", "./s").file("s/x", "loop").bytes(), "s/x",
                "too many levels of symbolic links (at \"s\")");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aLongPaxNameIsCreatedInside(Mode mode) throws IOException {
        String name = "deep/" + "n".repeat(240) + "/" + "m".repeat(60);
        unpack(mode, tar().file(name, "long").bytes());
        assertThat(inTarget(name)).isEqualTo("file:long");
        String climbing = "../".repeat(100) + "outside/x";
        refused(mode, tar().file(climbing, "pwned").bytes(), climbing, "path escapes the layer root");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aHugeDeclaredSizeWithShortDataIsTruncation(Mode mode) throws IOException {
        byte[] layer = concat(header("big", '0', 077777777777L), data("only this"));
        refused(mode, layer, "big", "archive truncated (512 of 8589934591 bytes of data)");
        byte[] pax = concat(Tars.pax('x', Map.of("size", "9000000000000000000")), header("huge", '0', 0),
                data("short"));
        refused(mode, pax, "huge", "archive truncated (512 of 9000000000000000000 bytes of data)");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void namesWithNulOrControlCharactersAreRefusedOrQuoted(Mode mode) throws IOException {
        byte[] nul = concat(Tars.pax('x', Map.of("path", "a\0b")), header("x", '0', 0), Tars.end());
        refused(mode, nul, "a\\x00b", "name contains a NUL byte");
        refused(mode, tar().file("../\n\u001b[31mfake", "x").bytes(), "../\\x0a\\x1b[31mfake",
                "path escapes the layer root");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aSymlinkToAHostFileAsAParentLeadsInside(Mode mode) throws IOException {
        unpack(mode, tar().symlink("l", abs(hostFile)).file("l/x", "contained").bytes());
        assertThat(inTarget(abs(hostFile).substring(1) + "/x")).isEqualTo("file:contained");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aSymlinkToAFileInsideAsAParentIsRefused(Mode mode) throws IOException {
        refused(mode, tar().file("f", "x").symlink("l", "/f").file("l/x", "no").bytes(), "l/x",
                "\"f\" is not a directory");
        assertThat(Files.exists(target.resolve("f/x"), LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void fortySymlinksAreFollowedButNotFortyOne(Mode mode) throws IOException {
        unpack(mode, chain(40).file("l39/x", "through 40 links").bytes());
        assertThat(inTarget("d/x")).isEqualTo("file:through 40 links");
        refused(mode, chain(41).file("l40/y", "41").bytes(), "l40/y",
                "too many levels of symbolic links (at \"l0\")");
    }

    /** d, and l0 -> d, l1 -> l0, … */
    private static Tars chain(int links) {
        Tars chain = tar().dir("d");
        for (int i = 0; i < links; i++) {
            chain.symlink("l" + i, i == 0 ? "d" : "l" + (i - 1));
        }
        return chain;
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aNameDeeperThanPathMaxIsRefusedBeforeItIsResolved(Mode mode) {
        String deep = "a/".repeat(300_000) + "x";
        assertThatThrownBy(() -> unpack(mode, tar().file(deep, "deep").bytes()))
                .hasMessageStartingWith("layer sha256:bad: entry \"a/a/a/")
                .hasMessageEndingWith("…\": name longer than 4096 bytes");
    }
}
