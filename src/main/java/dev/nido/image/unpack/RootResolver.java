package dev.nido.image.unpack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;

/**
 * Resolves names inside a root directory as openat2(2) with RESOLVE_IN_ROOT would: {@code ..}
 * stops at the root, absolute symlink targets start at the root, and every symlink met on the
 * way is read (never followed by the kernel) and resolved the same way, at most
 * {@value #MAX_SYMLINKS} per lookup (ELOOP, path_resolution(7)). What comes out is a {@link Dir}:
 * a real directory under the root whose path holds no symlink, so the kernel cannot be sent
 * elsewhere when the caller then creates the last component in it.
 *
 * <p>Directories a name needs that do not exist are created (0755) when asked to. Resolved
 * directories are cached by the name that led to them; {@link #forget()} drops the cache, which
 * the caller must do whenever it removes or replaces a directory or a symlink.
 */
final class RootResolver {
    /** Linux's limit on symlinks followed in one path lookup (MAXSYMLINKS). */
    static final int MAX_SYMLINKS = 40;

    private static final FileAttribute<?> DIR_0755 =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x"));

    /** A real directory under the root: its path and its path relative to the root ("" for the root). */
    record Dir(Path path, String rel) {
        Dir child(String name) {
            return new Dir(path.resolve(name), rel.isEmpty() ? name : rel.concat("/").concat(name));
        }

        /** The rel of a child of this directory. */
        String childRel(String name) {
            return rel.isEmpty() ? name : rel.concat("/").concat(name);
        }
    }

    /** A name that cannot be resolved; the message says why (the caller adds the entry). */
    static final class ResolveException extends Exception {
        private static final long serialVersionUID = 1L;

        ResolveException(String message) {
            super(message, null, false, false);
        }
    }

    /** Told of each directory the resolver creates (rel path), so the caller can count it as written. */
    interface Created {
        void directory(String rel);
    }

    private final Dir root;
    private final Created created;
    private final Map<String, Dir> cache = new HashMap<>();

    RootResolver(Path root, Created created) {
        this.root = new Dir(root, "");
        this.created = created;
    }

    Dir root() {
        return root;
    }

    /** Drops every cached resolution (after a directory or symlink was removed or replaced). */
    void forget() {
        cache.clear();
    }

    /**
     * The directory named by {@code clean} (a {@link Names#clean} name, "" for the root),
     * following symlinks in every component. With {@code create}, missing directories are made;
     * without, null when something is missing.
     *
     * @throws ResolveException when a component is not a directory or symlinks loop
     * @throws IOException when the file system fails
     */
    Dir directory(String clean, boolean create) throws ResolveException, IOException {
        if (clean.isEmpty()) {
            return root;
        }
        Dir cached = cache.get(clean);
        if (cached != null) {
            return cached;
        }
        return directory(clean, create, new int[1]);
    }

    private Dir directory(String clean, boolean create, int[] links) throws ResolveException, IOException {
        if (clean.isEmpty()) {
            return root;
        }
        Dir cached = cache.get(clean);
        if (cached != null) {
            return cached;
        }
        Dir parent = directory(Names.parent(clean), create, links);
        if (parent == null) {
            return null;
        }
        Dir dir = step(parent, Names.base(clean), create, links);
        if (dir != null) {
            cache.put(clean, dir);
        }
        return dir;
    }

    /** One component looked up in {@code dir}, a symlink resolved inside the root. */
    private Dir step(Dir dir, String name, boolean create, int[] links) throws ResolveException, IOException {
        if (name.equals("..")) {
            return dir.rel().isEmpty() ? root : new Dir(dir.path().getParent(), Names.parent(dir.rel()));
        }
        if (name.isEmpty() || name.equals(".")) {
            return dir;
        }
        Path path = dir.path().resolve(name);
        BasicFileAttributes attrs = lstat(path);
        if (attrs == null) {
            if (!create) {
                return null;
            }
            Files.createDirectory(path, DIR_0755);
            created.directory(dir.childRel(name));
            return dir.child(name);
        }
        if (attrs.isDirectory()) {
            return dir.child(name);
        }
        if (attrs.isSymbolicLink()) {
            if (++links[0] > MAX_SYMLINKS) {
                throw new ResolveException("too many levels of symbolic links (at " + Names.quote(dir.childRel(name)) + ")");
            }
            String target = Files.readSymbolicLink(path).toString();
            return walk(target.startsWith("/") ? root : dir, target, create, links);
        }
        throw new ResolveException(Names.quote(dir.childRel(name)) + " is not a directory");
    }

    /** Every component of a symlink's target, from {@code start}. */
    private Dir walk(Dir start, String target, boolean create, int[] links) throws ResolveException, IOException {
        Dir dir = start;
        int i = 0;
        int n = target.length();
        while (i <= n && dir != null) {
            int slash = target.indexOf('/', i);
            int end = slash < 0 ? n : slash;
            dir = step(dir, target.substring(i, end), create, links);
            i = end + 1;
        }
        return dir;
    }

    /** lstat(2): the attributes of the path itself, or null when it does not exist. */
    static BasicFileAttributes lstat(Path path) throws IOException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}
