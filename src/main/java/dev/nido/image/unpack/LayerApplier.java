package dev.nido.image.unpack;

import dev.nido.image.ImageException;
import dev.nido.image.unpack.RootResolver.Dir;
import dev.nido.image.unpack.RootResolver.ResolveException;
import dev.nido.image.unpack.UnpackOptions.Mode;
import dev.nido.linux.Errno;
import dev.nido.linux.LinuxException;
import dev.nido.linux.Syscalls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Applies the entries of one layer to its target, one at a time, as they stream by. Every name
 * goes through {@link Names#clean} (a {@code ..} above the root is refused) and
 * {@link RootResolver} (symlinks resolved inside the root); the last component is never
 * followed: an entry replaces what is there, a directory is replaced only by a non-directory
 * and the other way round (docker and containerd do the same). Whiteouts are
 * {@link Whiteouts}' business.
 */
final class LayerApplier {
    static final String WHITEOUT_PREFIX = ".wh.";
    static final String OPAQUE = ".wh..wh..opq";
    /** aufs's own files ({@code .wh..wh.plnk}, {@code .wh..wh.orph}): never part of the image. */
    static final String WHITEOUT_META_PREFIX = ".wh..wh.";
    /** Linux's longest path ({@code <linux/limits.h>} PATH_MAX, with its NUL). */
    static final int PATH_MAX = 4096;

    private static final Set<OpenOption> CREATE_NEW =
            Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);

    private final String label;
    private final UnpackOptions options;
    private final Syscalls sys;
    private final RootResolver resolver;
    private final Metadata metadata;
    private final Whiteouts whiteouts;
    /** What this layer wrote (APPLY only; null in OVERLAY, where the target held nothing before). */
    private final LowerTracker tracker;
    private final byte[] buf;
    @SuppressWarnings("unchecked")
    private final FileAttribute<Set<PosixFilePermission>>[] permissions = new FileAttribute[01000];

    LayerApplier(String label, Path root, UnpackOptions options, Syscalls sys, int umask, List<String> skipped,
            byte[] buf) {
        this.label = label;
        this.options = options;
        this.sys = sys;
        this.tracker = options.mode() == Mode.APPLY ? new LowerTracker() : null;
        this.resolver = new RootResolver(root, rel -> {
            if (tracker != null) {
                tracker.written(rel);
            }
        });
        this.metadata = new Metadata(sys, options.root(), umask, skipped);
        this.whiteouts = new Whiteouts(options, sys, resolver, tracker, metadata);
        this.buf = buf;
    }

    /** Applies one entry, its data read from {@code data}; every failure names the entry. */
    void apply(TarEntry e, TarReader data) {
        try {
            dispatch(e, data);
        } catch (ResolveException ex) {
            throw fail(e, ex.getMessage(), null);
        } catch (IOException ex) {
            throw fail(e, Failures.describe(ex), ex);
        } catch (LinuxException ex) {
            throw fail(e, ex.getMessage(), ex);
        } catch (InvalidPathException ex) {
            throw fail(e, Failures.describe(ex), ex);
        } catch (UncheckedIOException ex) {
            throw fail(e, Failures.describe(ex.getCause()), ex);
        } catch (DirectoryIteratorException ex) { // reading a directory to remove what it holds
            throw fail(e, Failures.describe(ex.getCause()), ex);
        }
    }

    /** Sets what had to wait for the last entry (directory modes and times). */
    void finish() {
        try {
            metadata.finishDirectories();
        } catch (IOException ex) {
            throw new ImageException(label + ": setting directory modes and times: " + Failures.describe(ex), ex);
        } catch (LinuxException ex) {
            throw new ImageException(label + ": setting directory modes and times: " + ex.getMessage(), ex);
        }
    }

    ImageException fail(TarEntry e, String problem, Throwable cause) {
        return new ImageException(label + ": entry " + Names.quote(e.name()) + ": " + problem, cause);
    }

    private void dispatch(TarEntry e, TarReader data) throws IOException, ResolveException {
        String clean = Names.clean(e.name());
        if (clean == null) {
            throw fail(e, "path escapes the layer root", null);
        }
        if (clean.length() >= PATH_MAX) {
            // the kernel would refuse it anyway (ENAMETOOLONG); refused here before resolving it
            throw fail(e, "name longer than " + PATH_MAX + " bytes", null);
        }
        if (clean.isEmpty()) {
            rootEntry(e);
            return;
        }
        String parent = Names.parent(clean);
        String base = Names.base(clean);
        if (parent.contains(WHITEOUT_META_PREFIX) && inWhiteoutMeta(parent)) {
            metadata.skip(e, "aufs metadata ignored");
            return;
        }
        if (base.startsWith(WHITEOUT_PREFIX)) {
            whiteout(e, parent, base);
            return;
        }
        checkIds(e);
        Dir dir = resolver.directory(parent, true);
        Path path = dir.path().resolve(base);
        boolean made = switch (e.type()) {
            case DIRECTORY -> directory(e, path);
            case FILE -> file(e, path, data);
            case SYMLINK -> symlink(e, path);
            case HARD_LINK -> hardLink(e, path);
            case CHAR_DEVICE, BLOCK_DEVICE, FIFO -> node(e, path);
        };
        if (made && tracker != null) {
            tracker.written(dir.childRel(base));
        }
    }

    private static boolean inWhiteoutMeta(String parent) {
        for (String component : parent.split("/")) {
            if (component.startsWith(WHITEOUT_META_PREFIX)) {
                return true;
            }
        }
        return false;
    }

    private void whiteout(TarEntry e, String parent, String base) throws IOException, ResolveException {
        if (base.equals(OPAQUE)) {
            whiteouts.opaque(e, parent);
        } else if (base.startsWith(WHITEOUT_META_PREFIX)) {
            metadata.skip(e, "aufs metadata ignored");
        } else {
            String name = base.substring(WHITEOUT_PREFIX.length());
            if (name.isEmpty() || name.equals(".") || name.equals("..")) {
                throw fail(e, "invalid whiteout: it would remove " + Names.quote(name), null);
            }
            whiteouts.whiteout(e, parent, name);
        }
    }

    /** uid_t and gid_t are 32 bits, and (uid_t) -1 means "leave as is" to chown(2). */
    private void checkIds(TarEntry e) {
        if (e.uid() < 0 || e.uid() >= 0xffffffffL || e.gid() < 0 || e.gid() >= 0xffffffffL) {
            throw fail(e, "uid " + e.uid() + " or gid " + e.gid() + " out of range", null);
        }
    }

    /** "./" and the like: the target itself, whose metadata the entry sets; it is never replaced. */
    private void rootEntry(TarEntry e) throws IOException {
        if (e.type() != EntryType.DIRECTORY) {
            throw fail(e, "a " + describe(e.type()) + " cannot replace the layer root", null);
        }
        checkIds(e);
        metadata.directory(resolver.root().path(), e);
    }

    private boolean directory(TarEntry e, Path path) throws IOException {
        try {
            // Owner rwx until the end, so that a read-only directory can still be filled when not root.
            Files.createDirectory(path, permissions((e.mode() | 0700) & 0777));
        } catch (FileAlreadyExistsException ex) {
            BasicFileAttributes existing = RootResolver.lstat(path);
            if (existing != null && !existing.isDirectory()) {
                boolean whiteout = options.mode() == Mode.OVERLAY && Whiteouts.isWhiteout(path, existing);
                remove(path, existing);
                Files.createDirectory(path, permissions((e.mode() | 0700) & 0777));
                if (whiteout) {
                    // The layer removed what lower layers had here, then made a new directory.
                    whiteouts.markOpaque(path);
                }
            }
        }
        metadata.directory(path, e);
        return true;
    }

    private boolean file(TarEntry e, Path path, TarReader data) throws IOException {
        try (FileChannel out = create(path, e.mode())) {
            long left = e.size();
            while (left > 0) {
                int n = data.read(buf, 0, (int) Math.min(buf.length, left));
                ByteBuffer chunk = ByteBuffer.wrap(buf, 0, n);
                while (chunk.hasRemaining()) {
                    out.write(chunk);
                }
                left -= n;
            }
        }
        metadata.apply(path, e);
        return true;
    }

    private boolean symlink(TarEntry e, Path path) throws IOException {
        if (e.linkName().isEmpty()) {
            throw fail(e, "symlink with an empty target", null);
        }
        Path target = path.getFileSystem().getPath(e.linkName());
        try {
            Files.createSymbolicLink(path, target);
        } catch (FileAlreadyExistsException ex) {
            replaceWithNonDirectory(path);
            Files.createSymbolicLink(path, target);
        }
        metadata.apply(path, e);
        return true;
    }

    /** A hard link to an earlier entry: resolved inside the root, never to a directory. */
    private boolean hardLink(TarEntry e, Path path) throws IOException, ResolveException {
        String target = Names.clean(e.linkName());
        if (target == null) {
            throw fail(e, "hard link target " + Names.quote(e.linkName()) + " escapes the layer root", null);
        }
        if (target.length() >= PATH_MAX) {
            throw fail(e, "hard link target longer than " + PATH_MAX + " bytes", null);
        }
        if (target.isEmpty()) {
            throw fail(e, "hard link to the layer root", null);
        }
        Dir dir = resolver.directory(Names.parent(target), false);
        Path source = dir == null ? null : dir.path().resolve(Names.base(target));
        BasicFileAttributes attrs = source == null ? null : RootResolver.lstat(source);
        if (attrs == null) {
            throw fail(e, "hard link target " + Names.quote(e.linkName()) + " does not exist in the layer", null);
        }
        if (attrs.isDirectory()) {
            throw fail(e, "hard link target " + Names.quote(e.linkName()) + " is a directory", null);
        }
        if (source.equals(path)) {
            return true; // a link to itself: already there
        }
        try {
            Files.createLink(path, source);
        } catch (FileAlreadyExistsException ex) {
            replaceWithNonDirectory(path);
            Files.createLink(path, source);
        }
        return true;
    }

    private boolean node(TarEntry e, Path path) throws IOException {
        int type = switch (e.type()) {
            case CHAR_DEVICE -> Syscalls.S_IFCHR;
            case BLOCK_DEVICE -> Syscalls.S_IFBLK;
            default -> Syscalls.S_IFIFO;
        };
        if (type != Syscalls.S_IFIFO && !options.root()) {
            replaceWithNonDirectory(path);
            metadata.skip(e, describe(e.type()) + " " + e.devMajor() + ":" + e.devMinor() + " not created: not root");
            return false;
        }
        try {
            sys.mknod(path, type | (e.mode() & 0777), e.devMajor(), e.devMinor());
        } catch (LinuxException ex) {
            if (ex.errno() != Errno.EEXIST) {
                throw ex;
            }
            replaceWithNonDirectory(path);
            sys.mknod(path, type | (e.mode() & 0777), e.devMajor(), e.devMinor());
        }
        metadata.apply(path, e);
        return true;
    }

    private static String describe(EntryType type) {
        return switch (type) {
            case FILE -> "file";
            case HARD_LINK -> "hard link";
            case SYMLINK -> "symlink";
            case CHAR_DEVICE -> "character device";
            case BLOCK_DEVICE -> "block device";
            case DIRECTORY -> "directory";
            case FIFO -> "fifo";
        };
    }

    /**
     * A new file for writing. The common case, nothing there yet, costs one open(O_CREAT|O_EXCL),
     * which never follows a symlink; what is in the way is removed only when it fails.
     */
    private FileChannel create(Path path, int mode) throws IOException {
        try {
            return FileChannel.open(path, CREATE_NEW, permissions(mode & 0777));
        } catch (FileAlreadyExistsException ex) {
            replaceWithNonDirectory(path);
            return FileChannel.open(path, CREATE_NEW, permissions(mode & 0777));
        }
    }

    /** Clears the way for a non-directory: whatever is at {@code path} goes, a directory with all it holds. */
    private void replaceWithNonDirectory(Path path) throws IOException {
        BasicFileAttributes existing = RootResolver.lstat(path);
        if (existing != null) {
            remove(path, existing);
        }
    }

    private void remove(Path path, BasicFileAttributes existing) throws IOException {
        if (existing.isDirectory()) {
            Trees.removeTree(path);
            resolver.forget();
        } else {
            Files.delete(path);
            if (existing.isSymbolicLink()) {
                resolver.forget();
            }
        }
    }

    private FileAttribute<Set<PosixFilePermission>> permissions(int mode) {
        FileAttribute<Set<PosixFilePermission>> p = permissions[mode];
        if (p == null) {
            Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
            PosixFilePermission[] all = PosixFilePermission.values(); // OWNER_READ … OTHERS_EXECUTE
            for (int bit = 0; bit < 9; bit++) {
                if ((mode & (0400 >> bit)) != 0) {
                    set.add(all[bit]);
                }
            }
            p = PosixFilePermissions.asFileAttribute(set);
            permissions[mode] = p;
        }
        return p;
    }
}
