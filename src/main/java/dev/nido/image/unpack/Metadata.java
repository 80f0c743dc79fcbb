package dev.nido.image.unpack;

import dev.nido.linux.Errno;
import dev.nido.linux.LinuxException;
import dev.nido.linux.Syscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Ownership, mode, extended attributes and times of what a layer makes, in the order the kernel
 * needs: chown first (it clears setuid, setgid and file capabilities), then chmod and
 * {@code security.capability}, then the times (chmod and xattrs change only ctime). Directories
 * get their mode and times at the very end ({@link #finishDirectories}), because every entry
 * made in them later changes their mtime, and a read-only directory mode would stop a non-root
 * unpacker from filling it.
 */
final class Metadata {
    private final Syscalls sys;
    private final boolean root;
    private final int umask;
    private final List<String> skipped;
    private final List<PendingDirectory> directories = new ArrayList<>();

    /** A directory's mode and times to set at the end, if it is still the same directory then. */
    private record PendingDirectory(Path path, Object fileKey, int mode, long seconds, int nanos) {
    }

    Metadata(Syscalls sys, boolean root, int umask, List<String> skipped) {
        this.sys = sys;
        this.root = root;
        this.umask = umask;
        this.skipped = skipped;
    }

    /** Whether a file created with {@code mode} (less the umask) needs a chmod to end up with it. */
    boolean needsChmod(int mode) {
        return (mode & 07000) != 0 || (mode & umask & 0777) != 0;
    }

    /** Metadata of a file, node or symlink just made at {@code path} (never followed). */
    void apply(Path path, TarEntry e) throws IOException {
        chown(path, e);
        if (e.type() != EntryType.SYMLINK && needsChmod(e.mode())) {
            Files.setAttribute(path, "unix:mode", e.mode());
        }
        xattrs(path, e);
        sys.lutimens(path, e.mtimeSeconds(), e.mtimeNanos());
    }

    /** Ownership and xattrs of a directory now; mode and times at {@link #finishDirectories}. */
    void directory(Path path, TarEntry e) throws IOException {
        chown(path, e);
        xattrs(path, e);
        BasicFileAttributes attrs = RootResolver.lstat(path);
        directories.add(new PendingDirectory(path, attrs == null ? null : attrs.fileKey(), e.mode(),
                e.mtimeSeconds(), e.mtimeNanos()));
    }

    private void chown(Path path, TarEntry e) {
        if (root) {
            sys.lchown(path, (int) e.uid(), (int) e.gid());
        }
    }

    private void xattrs(Path path, TarEntry e) {
        for (Map.Entry<String, byte[]> x : e.xattrs().entrySet()) {
            String name = x.getKey();
            if (name.startsWith("trusted.overlay.") || name.startsWith("user.overlay.")) {
                skip(e, "xattr " + name + " not set: overlayfs attributes are not taken from layers");
            } else if (!root && !name.startsWith("user.")) {
                skip(e, "xattr " + name + " not set: not root");
            } else {
                try {
                    sys.lsetxattr(path, name, x.getValue());
                } catch (LinuxException ex) {
                    int errno = ex.errno();
                    if (errno != Errno.EPERM && errno != Errno.EOPNOTSUPP) {
                        throw ex;
                    }
                    // as docker does: file systems without (this kind of) xattrs do not stop a pull
                    skip(e, "xattr " + name + " not set: " + Errno.describe(errno));
                }
            }
        }
    }

    void skip(TarEntry e, String why) {
        skipped.add("entry " + Names.quote(e.name()) + ": " + why);
    }

    /**
     * Sets the deferred modes and times of directories, skipping any that was removed or
     * replaced since (the path may now be a symlink: chmod would follow it).
     */
    void finishDirectories() throws IOException {
        for (PendingDirectory d : directories) {
            BasicFileAttributes now = RootResolver.lstat(d.path());
            if (now == null || !now.isDirectory() || !Objects.equals(now.fileKey(), d.fileKey())) {
                continue;
            }
            Files.setAttribute(d.path(), "unix:mode", d.mode());
            sys.lutimens(d.path(), d.seconds(), d.nanos());
        }
        directories.clear();
    }
}
