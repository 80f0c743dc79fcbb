package dev.nido.image.build;

import dev.nido.image.ImageException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Paths inside a directory that stands for a root (an image's root filesystem, the build context)
 * resolved as {@code openat2(RESOLVE_IN_ROOT)} would: symlinks are followed one component at a time
 * by {@code readlink}, an absolute target starts again at the root, {@code ..} stops at the root.
 * A symlink an image plants ({@code /d -> /etc}) therefore lands inside the image, never on the host.
 */
public final class InRoot {
    private static final int MAX_LINKS = 40; // as the kernel's path walk (ELOOP)

    private InRoot() {
    }

    /**
     * The host path of {@code path} (absolute or relative to the root) under {@code root};
     * {@code followLast}: whether a final symlink is followed too. Missing components are kept as
     * written (the result may not exist).
     */
    public static Path resolve(Path root, String path, boolean followLast) {
        Deque<String> todo = new ArrayDeque<>(components(path));
        List<String> done = new ArrayList<>();
        int links = 0;
        while (!todo.isEmpty()) {
            String c = todo.pollFirst();
            if (c.equals("..")) {
                if (!done.isEmpty()) {
                    done.removeLast();
                }
                continue;
            }
            Path candidate = join(root, done).resolve(c);
            boolean last = todo.isEmpty();
            if ((!last || followLast) && Files.isSymbolicLink(candidate)) {
                if (++links > MAX_LINKS) {
                    throw new ImageException(path + ": too many levels of symbolic links (ELOOP) in " + root);
                }
                String target = readLink(candidate);
                if (target.startsWith("/")) {
                    done.clear();
                }
                List<String> t = components(target);
                for (int i = t.size() - 1; i >= 0; i--) {
                    todo.addFirst(t.get(i));
                }
                continue;
            }
            done.add(c);
        }
        return join(root, done);
    }

    /** The path relative to the root, {@code /}-separated, without {@code .} or empty components. */
    static List<String> components(String path) {
        List<String> out = new ArrayList<>();
        for (String c : path.split("/")) {
            if (!c.isEmpty() && !c.equals(".")) {
                out.add(c);
            }
        }
        return out;
    }

    private static Path join(Path root, List<String> parts) {
        Path p = root;
        for (String s : parts) {
            p = p.resolve(s);
        }
        return p;
    }

    private static String readLink(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            throw new ImageException("readlink " + link + ": " + e.getMessage(), e);
        }
    }

    /**
     * Makes the directory {@code path} under {@code root} and its missing parents (mode 0755, owned
     * by {@code uid}:{@code gid} when given); returns its host path. A component that exists and is
     * not a directory is an error.
     */
    static Path mkdirs(Path root, String path, Owner owner) {
        Path cur = root;
        String sofar = "";
        for (String c : components(path)) {
            sofar = sofar + "/" + c;
            Path next = resolve(root, sofar, true);
            if (!Files.exists(next, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Files.createDirectory(next);
                    Files.setPosixFilePermissions(next, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
                    if (owner != null) {
                        owner.apply(next);
                    }
                } catch (IOException e) {
                    throw new ImageException("mkdir " + sofar + ": " + e.getMessage(), e);
                }
            } else if (!Files.isDirectory(next, LinkOption.NOFOLLOW_LINKS)) {
                throw new ImageException(sofar + " exists in the image and is not a directory");
            }
            cur = next;
            sofar = "/" + root.relativize(next);
        }
        return cur;
    }

    /** An owner to give new files. */
    interface Owner {
        void apply(Path p) throws IOException;
    }
}
