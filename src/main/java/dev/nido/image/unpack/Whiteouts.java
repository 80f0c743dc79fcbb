package dev.nido.image.unpack;

import dev.nido.image.unpack.RootResolver.Dir;
import dev.nido.image.unpack.RootResolver.ResolveException;
import dev.nido.image.unpack.UnpackOptions.Mode;
import dev.nido.linux.Errno;
import dev.nido.linux.LinuxException;
import dev.nido.linux.Syscalls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * The two kinds of whiteout of image-spec layer.md, in either mode.
 * <ul>
 * <li>{@code DIR/.wh.NAME}: NAME is deleted. OVERLAY makes an overlayfs whiteout, a character
 * device 0/0 named NAME (overlayfs(5) "whiteouts and opaque directories"); APPLY removes NAME
 * with what lies below it, keeping what this layer wrote.</li>
 * <li>{@code DIR/.wh..wh..opq}: DIR hides everything lower layers had in it. OVERLAY sets
 * {@code trusted.overlay.opaque=y} on DIR; APPLY removes DIR's entries from before this layer.</li>
 * </ul>
 * A whiteout never applies to what the same layer holds (layer.md), so in OVERLAY a whiteout
 * for a name the layer already made is ignored, and a directory entry that replaces a whiteout
 * made earlier in the layer becomes an opaque directory.
 */
final class Whiteouts {
    static final String TRUSTED_OPAQUE = "trusted.overlay.opaque";
    /** overlayfs's xattr namespace with the {@code userxattr} mount option (Linux 5.11), for rootless mounts. */
    static final String USER_OPAQUE = "user.overlay.opaque";
    private static final byte[] YES = "y".getBytes(StandardCharsets.US_ASCII);

    private final UnpackOptions options;
    private final Syscalls sys;
    private final RootResolver resolver;
    private final LowerTracker tracker;
    private final Metadata metadata;

    Whiteouts(UnpackOptions options, Syscalls sys, RootResolver resolver, LowerTracker tracker, Metadata metadata) {
        this.options = options;
        this.sys = sys;
        this.resolver = resolver;
        this.tracker = tracker;
        this.metadata = metadata;
    }

    /** Whether {@code attrs} (of {@code path}) are an overlay whiteout: a character device 0/0. */
    static boolean isWhiteout(Path path, BasicFileAttributes attrs) throws IOException {
        if (!attrs.isOther()) {
            return false;
        }
        int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        long rdev = (Long) Files.getAttribute(path, "unix:rdev", LinkOption.NOFOLLOW_LINKS);
        return (mode & 0170000) == Syscalls.S_IFCHR && rdev == 0;
    }

    /** {@code parent/.wh.name}. */
    void whiteout(TarEntry e, String parent, String name) throws IOException, ResolveException {
        if (options.mode() == Mode.OVERLAY) {
            Dir dir = resolver.directory(parent, true);
            try {
                sys.mknod(dir.path().resolve(name), Syscalls.S_IFCHR, 0, 0);
            } catch (LinuxException ex) {
                if (ex.errno() != Errno.EEXIST) {
                    throw ex;
                }
                metadata.skip(e, "whiteout ignored: " + Names.quote(dir.childRel(name)) + " is in the same layer");
            }
            return;
        }
        Dir dir = resolver.directory(parent, false);
        if (dir != null && removeLower(dir.path().resolve(name), dir.childRel(name))) {
            resolver.forget();
        }
    }

    /** {@code parent/.wh..wh..opq}. */
    void opaque(TarEntry e, String parent) throws IOException, ResolveException {
        Dir dir = resolver.directory(parent, true);
        if (options.mode() == Mode.OVERLAY) {
            markOpaque(dir.path());
            return;
        }
        boolean removed = false;
        for (Path child : children(dir.path())) {
            removed |= removeLower(child, dir.childRel(child.getFileName().toString()));
        }
        if (removed) {
            resolver.forget();
        }
    }

    /** The overlayfs opaque xattr on a directory of an OVERLAY layer. */
    void markOpaque(Path dir) {
        sys.lsetxattr(dir, options.root() ? TRUSTED_OPAQUE : USER_OPAQUE, YES);
    }

    /**
     * Removes what lower layers left at {@code path}: everything, unless this layer wrote there
     * (then a directory is kept and searched, and anything else kept). True if anything went.
     */
    private boolean removeLower(Path path, String rel) throws IOException {
        BasicFileAttributes attrs = RootResolver.lstat(path);
        if (attrs == null) {
            return false;
        }
        boolean written = tracker.isWritten(rel);
        if (attrs.isDirectory() && (written || tracker.hasWrittenBelow(rel))) {
            boolean removed = false;
            for (Path child : children(path)) {
                removed |= removeLower(child, rel + "/" + child.getFileName());
            }
            return removed;
        }
        if (written) {
            return false;
        }
        if (attrs.isDirectory()) {
            Trees.removeTree(path);
        } else {
            Files.delete(path);
        }
        return true;
    }

    /** A directory's entries, read in full before anything is removed from it. */
    private static List<Path> children(Path dir) throws IOException {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                children.add(p);
            }
        }
        return children;
    }
}
