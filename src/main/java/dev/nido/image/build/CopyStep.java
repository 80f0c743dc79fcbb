package dev.nido.image.build;

import dev.nido.image.ImageException;
import dev.nido.image.unpack.LayerUnpacker;
import dev.nido.image.unpack.UnpackOptions;
import dev.nido.linux.Syscalls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * COPY and ADD of context files into a mounted root filesystem (the step's overlay, whose upper
 * directory becomes the layer). Docker's rules: a directory's contents are copied, not the
 * directory; several sources need a destination ending in {@code /}; a destination that is an
 * existing directory receives the file under its own name. Files keep their permission bits and
 * modification time; the owner is 0:0 or {@code --chown}. Every destination path is resolved
 * inside the root ({@link InRoot}), so an image's symlink never sends a write to the host. ADD also
 * extracts a local tar (plain, gzip or zstd) into the destination.
 */
final class CopyStep {
    private final Syscalls sys;
    private final BuildContext context;
    private final boolean add;
    private final Consumer<String> log;
    private final List<Path> dirTimes = new ArrayList<>();
    private final List<FileTime> times = new ArrayList<>();

    CopyStep(Syscalls sys, BuildContext context, boolean add, Consumer<String> log) {
        this.sys = sys;
        this.context = context;
        this.add = add;
        this.log = log;
    }

    /**
     * Copies {@code sources} to {@code dest} (absolute in the image) under {@code rootfs}.
     *
     * @param chown {@code --chown} (null: 0:0)
     * @param chmod {@code --chmod} permission bits, or -1 to keep the sources'
     */
    void apply(Path rootfs, List<BuildContext.Source> sources, String dest, boolean manySources, String chown,
               int chmod) {
        Users.Ids owner = chown == null ? new Users.Ids(0, 0, List.of()) : Users.owner(rootfs, chown);
        boolean destDir = dest.endsWith("/");
        if (manySources && !destDir) {
            throw new IllegalArgumentException("with several sources the destination must be a directory ending"
                    + " in / (" + dest + "/)");
        }
        for (BuildContext.Source s : sources) {
            if (Files.isDirectory(s.path(), LinkOption.NOFOLLOW_LINKS)) {
                Path d = InRoot.mkdirs(rootfs, dest, p -> chown(p, owner));
                for (BuildContext.Entry e : context.entries(s)) {
                    if (!e.sub().isEmpty()) {
                        copy(e.path(), rootfs, "/" + rootfs.relativize(d) + "/" + e.sub(), owner, chmod);
                    }
                }
            } else if (add && isArchive(s.path())) {
                extract(s.path(), InRoot.mkdirs(rootfs, dest, p -> chown(p, owner)));
            } else {
                Path existing = InRoot.resolve(rootfs, dest, true);
                boolean intoDir = destDir || Files.isDirectory(existing, LinkOption.NOFOLLOW_LINKS);
                String target = intoDir ? trimSlash(dest) + "/" + s.baseName() : dest;
                int slash = target.lastIndexOf('/');
                InRoot.mkdirs(rootfs, target.substring(0, Math.max(slash, 0)), p -> chown(p, owner));
                copy(s.path(), rootfs, target, owner, chmod);
            }
        }
        for (int i = dirTimes.size() - 1; i >= 0; i--) {
            setTime(dirTimes.get(i), times.get(i)); // after their content, which changed them
        }
    }

    private static String trimSlash(String p) {
        String s = p;
        while (s.length() > 1 && s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s.equals("/") ? "" : s;
    }

    /** One file, link or directory {@code src} to {@code target} (absolute in the image). */
    private void copy(Path src, Path rootfs, String target, Users.Ids owner, int chmod) {
        int slash = target.lastIndexOf('/');
        String name = target.substring(slash + 1);
        Path parent = InRoot.resolve(rootfs, target.substring(0, Math.max(slash, 0)), true);
        Path dst = parent.resolve(name);
        try {
            FileTime mtime = Files.getLastModifiedTime(src, LinkOption.NOFOLLOW_LINKS);
            int mode = chmod >= 0 ? chmod : BuildContext.mode(src);
            if (Files.isSymbolicLink(src)) {
                replace(dst, target);
                Files.createSymbolicLink(dst, Files.readSymbolicLink(src));
                chown(dst, owner);
                sys.lutimens(dst, mtime.toInstant().getEpochSecond(), mtime.toInstant().getNano());
            } else if (Files.isDirectory(src, LinkOption.NOFOLLOW_LINKS)) {
                Path d = InRoot.resolve(rootfs, target, true);
                if (!Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
                    replace(d, target);
                    Files.createDirectory(d);
                }
                chown(d, owner);
                Files.setAttribute(d, "unix:mode", mode);
                dirTimes.add(d);
                times.add(mtime);
            } else if (Files.isRegularFile(src, LinkOption.NOFOLLOW_LINKS)) {
                replace(dst, target);
                Files.copy(src, dst);
                chown(dst, owner); // before the mode: chown(2) clears setuid and setgid
                Files.setAttribute(dst, "unix:mode", mode);
                Files.setLastModifiedTime(dst, mtime);
            } else {
                log.accept("skipping " + src + ": not a file, directory or symlink");
            }
        } catch (IOException e) {
            throw new ImageException("copy " + src + " to " + target + ": " + e.getMessage(), e);
        }
    }

    /** Removes what is at {@code dst} (never a directory: that is an error, as in Docker). */
    private static void replace(Path dst, String target) throws IOException {
        if (Files.isDirectory(dst, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException("cannot copy a file onto the directory " + target
                    + " (end the destination with / to copy into it)");
        }
        Files.deleteIfExists(dst);
    }

    private void chown(Path p, Users.Ids owner) {
        sys.lchown(p, (int) owner.uid(), (int) owner.gid());
    }

    private static void setTime(Path p, FileTime t) {
        try {
            Files.setLastModifiedTime(p, t);
        } catch (IOException e) {
            throw new ImageException("set the time of " + p + ": " + e.getMessage(), e);
        }
    }

    /** A tar, plain or gzip-/zstd-compressed (by content; zstd by name too). */
    static boolean isArchive(Path p) {
        byte[] head = head(p, 512);
        String name = p.getFileName().toString();
        if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(p))) {
                return isTar(in.readNBytes(512));
            } catch (IOException e) {
                return false;
            }
        }
        if (head.length >= 4 && (head[0] & 0xff) == 0x28 && (head[1] & 0xff) == 0xb5 && (head[2] & 0xff) == 0x2f
                && (head[3] & 0xff) == 0xfd) {
            return name.endsWith(".tar.zst") || name.endsWith(".tzst");
        }
        if (name.matches(".*\\.(tar\\.(bz2|xz)|tbz2?|txz)$")) {
            throw new IllegalArgumentException("ADD " + name + ": bzip2 and xz archives are not supported"
                    + " (recompress it with gzip or zstd, or COPY it and RUN tar)");
        }
        return isTar(head);
    }

    private static boolean isTar(byte[] block) {
        return block.length >= 262 && new String(Arrays.copyOfRange(block, 257, 262), StandardCharsets.US_ASCII)
                .equals("ustar");
    }

    private static byte[] head(Path p, int n) {
        try (InputStream in = Files.newInputStream(p)) {
            return in.readNBytes(n);
        } catch (IOException e) {
            throw new ImageException("read " + p + ": " + e.getMessage(), e);
        }
    }

    private void extract(Path archive, Path dir) {
        try (InputStream in = Files.newInputStream(archive)) {
            new LayerUnpacker(sys).unpack("ADD " + archive.getFileName(), in, dir,
                    new UnpackOptions(UnpackOptions.Mode.APPLY, true, null));
        } catch (IOException e) {
            throw new ImageException("ADD " + archive + ": " + e.getMessage(), e);
        }
    }
}
