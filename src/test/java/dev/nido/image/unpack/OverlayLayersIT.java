package dev.nido.image.unpack;

import static dev.nido.image.unpack.Tars.tar;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nido.image.unpack.UnpackOptions.Mode;
import dev.nido.linux.Syscalls;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OVERLAY mode for real (root): two layers unpacked as lower directories, mounted with overlayfs,
 * and the merged view checked; then changes made in a mount turned back into a layer with
 * {@link TarWriter#writeOverlayUpper} and applied onto a copy of the lower tree.
 */
class OverlayLayersIT {
    private static final UnpackOptions OVERLAY = new UnpackOptions(Mode.OVERLAY, true, null);
    private static final long T1 = 1_600_000_000L;
    private static final long T2 = 1_650_000_000L;
    /** No metacopy or redirect_dir: layers cannot express them (TarWriter refuses them). */
    private static final String SAFE_OPTIONS = "redirect_dir=off,metacopy=off,index=off";

    private final Syscalls sys = Syscalls.real();
    private final List<Path> mounts = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void unmount() throws Exception {
        for (Path m : mounts.reversed()) {
            run("umount", m.toString());
        }
    }

    private static byte[] lowerLayer() {
        return tar()
                .add(TarEntry.directory("etc").withMtime(T1, 0))
                .add(TarEntry.file("etc/keep", 0).withMtime(T1, 0), "kept\n")
                .add(TarEntry.file("etc/gone", 0), "deleted by layer 2\n")
                .dir("opq").file("opq/lower1", "hidden").dir("opq/lowerdir").file("opq/lowerdir/f", "hidden")
                .dir("usr").dir("usr/bin")
                .add(TarEntry.file("usr/bin/su", 0).withMode(04755).withOwner(1234, 5678).withMtime(T1, 0)
                        .withXattrs(Map.of("user.test", bytes("u"), "trusted.x", bytes("t"))), "#!/bin/su\n")
                .add(TarEntry.file("usr/bin/ping", 0).withMode(0755).withXattrs(Map.of("security.capability",
                        new byte[] {0, 0, 0, 2, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})), "elf")
                .add(TarEntry.directory("dev").withOwner(0, 0))
                .add(TarEntry.node("dev/null", EntryType.CHAR_DEVICE, 0666, 1, 3).withMtime(T1, 0))
                .add(TarEntry.node("run/fifo", EntryType.FIFO, 0620, 0, 0).withOwner(7, 8))
                .add(TarEntry.symlink("bin", "usr/bin").withMtime(T1, 0).withOwner(1234, 5678))
                .bytes();
    }

    private static byte[] upperLayer() {
        return tar()
                .add(TarEntry.directory("etc").withMtime(T2, 0))
                .marker("etc/.wh.gone")
                .add(TarEntry.directory("opq").withMode(0700).withMtime(T2, 0))
                .marker("opq/.wh..wh..opq")
                .file("opq/new", "only this")
                .file("etc/added", "by layer 2")
                .bytes();
    }

    @Test
    void twoLayersMergeAsTheImageSays() throws Exception {
        Path l1 = unpack(lowerLayer(), "l1");
        Path l2 = unpack(upperLayer(), "l2");
        assertThat(TreeSnapshot.describe(l2.resolve("etc/gone"))).isEqualTo("whiteout");
        assertThat(sys.lgetxattr(l2.resolve("opq"), "trusted.overlay.opaque"))
                .hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("y")));

        Path merged = mount(List.of(l2, l1), "merged");
        assertThat(TreeSnapshot.of(merged)).containsOnlyKeys("bin", "dev", "dev/null", "etc", "etc/added",
                "etc/keep", "opq", "opq/new", "run", "run/fifo", "usr", "usr/bin", "usr/bin/ping", "usr/bin/su");
        assertThat(TreeSnapshot.describe(merged.resolve("opq/new"))).isEqualTo("file:only this");

        Path su = merged.resolve("usr/bin/su");
        assertThat(Files.getAttribute(su, "unix:uid")).isEqualTo(1234);
        assertThat(Files.getAttribute(su, "unix:gid")).isEqualTo(5678);
        assertThat(TreeSnapshot.mode(su)).isEqualTo(04755);
        assertThat(TreeSnapshot.mtime(su)).isEqualTo(T1);
        assertThat(sys.lgetxattr(su, "user.test")).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("u")));
        assertThat(sys.lgetxattr(su, "trusted.x")).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("t")));
        assertThat(sys.lgetxattr(merged.resolve("usr/bin/ping"), "security.capability")).isPresent();

        assertThat(TreeSnapshot.describe(merged.resolve("dev/null"))).isEqualTo("char");
        assertThat(Files.getAttribute(merged.resolve("dev/null"), "unix:rdev")).isEqualTo(0x103L);
        assertThat(TreeSnapshot.mode(merged.resolve("dev/null"))).isEqualTo(0666);
        assertThat(TreeSnapshot.describe(merged.resolve("run/fifo"))).isEqualTo("fifo");
        assertThat(Files.getAttribute(merged.resolve("run/fifo"), "unix:uid")).isEqualTo(7);
        assertThat(TreeSnapshot.mode(merged.resolve("run/fifo"))).isEqualTo(0620);

        Path bin = merged.resolve("bin");
        assertThat(TreeSnapshot.describe(bin)).isEqualTo("link:usr/bin");
        assertThat(Files.getAttribute(bin, "unix:uid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(1234);
        assertThat(TreeSnapshot.mtime(bin)).isEqualTo(T1);
        assertThat(TreeSnapshot.mtime(merged.resolve("etc"))).isEqualTo(T2);
        assertThat(TreeSnapshot.mtime(l1.resolve("etc"))).isEqualTo(T1);
        assertThat(TreeSnapshot.mode(merged.resolve("opq"))).isEqualTo(0700);
    }

    @Test
    void theChangesOfAMountBecomeALayerThatAppliesToTheSameView() throws Exception {
        Path lower = unpack(lowerLayer(), "lower");
        Path merged = mount(List.of(lower), "work");
        Files.delete(merged.resolve("etc/gone"));
        Trees.removeTree(merged.resolve("opq"));
        Files.createDirectory(merged.resolve("opq"));
        Files.writeString(merged.resolve("opq/fresh"), "new dir content");
        Files.writeString(merged.resolve("etc/keep"), "changed\n");
        Files.writeString(merged.resolve("etc/new"), "added\n");
        Files.setAttribute(merged.resolve("etc/new"), "unix:uid", 4321);
        Files.createLink(merged.resolve("etc/new-link"), merged.resolve("etc/new"));
        Files.delete(merged.resolve("bin"));
        Files.createSymbolicLink(merged.resolve("bin"), Path.of("/usr/local/bin"));
        sys.lsetxattr(merged.resolve("usr/bin/su"), "user.changed", bytes("yes"));
        Files.delete(merged.resolve("dev/null"));

        ByteArrayOutputStream layer = new ByteArrayOutputStream();
        try (TarWriter w = new TarWriter(layer)) {
            w.writeOverlayUpper(dir.resolve("work-upper"));
        }
        List<String> names = Tars.entries(layer.toByteArray()).stream().map(TarEntry::name).toList();
        assertThat(names).contains("etc/.wh.gone", "opq/", "opq/.wh..wh..opq", "opq/fresh", "dev/.wh.null");

        Path applied = Files.createDirectories(dir.resolve("applied"));
        UnpackOptions apply = new UnpackOptions(Mode.APPLY, true, null);
        new LayerUnpacker().unpack("lower", new ByteArrayInputStream(lowerLayer()), applied, apply);
        new LayerUnpacker().unpack("changes", new ByteArrayInputStream(layer.toByteArray()), applied, apply);

        assertThat(details(applied)).isEqualTo(details(merged));
        assertThat(Files.getAttribute(applied.resolve("etc/new-link"), "unix:ino"))
                .isEqualTo(Files.getAttribute(applied.resolve("etc/new"), "unix:ino"));
        assertThat(sys.lgetxattr(applied.resolve("usr/bin/su"), "user.changed")).isPresent();
    }

    /** Content, type, owner, mode and (for non-directories) mtime of every path. */
    private static Map<String, String> details(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, String> e : TreeSnapshot.of(root).entrySet()) {
            Path p = root.resolve(e.getKey());
            String owner = Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS) + ":"
                    + Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS);
            String mtime = e.getValue().equals("dir") ? "" : " @" + TreeSnapshot.mtime(p);
            out.put(e.getKey(), e.getValue() + " " + owner + " " + Integer.toOctalString(TreeSnapshot.mode(p)) + mtime);
        }
        return out;
    }

    private Path unpack(byte[] layer, String name) throws IOException {
        Path target = Files.createDirectories(dir.resolve(name));
        new LayerUnpacker().unpack("layer " + name, new ByteArrayInputStream(layer), target, OVERLAY);
        return target;
    }

    /** overlayfs over {@code lowers} (top first) with a fresh upper dir NAME-upper; returns the mount point. */
    private Path mount(List<Path> lowers, String name) throws Exception {
        Path upper = Files.createDirectories(dir.resolve(name + "-upper"));
        Path work = Files.createDirectories(dir.resolve(name + "-work"));
        Path mnt = Files.createDirectories(dir.resolve(name + "-mnt"));
        String lowerdir = String.join(":", lowers.stream().map(Path::toString).toList());
        run("mount", "-t", "overlay", "overlay", "-o",
                "lowerdir=" + lowerdir + ",upperdir=" + upper + ",workdir=" + work + "," + SAFE_OPTIONS, mnt.toString());
        mounts.add(mnt);
        return mnt;
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + ": " + out);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
