package dev.nido.linux;

import static dev.nido.linux.Libc.address;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Extended attributes of a path itself, never of a symlink's target (xattr(7)): Java's
 * {@code UserDefinedFileAttributeView} reaches only the {@code user.} namespace, and layers
 * carry {@code security.capability} and overlayfs keeps {@code trusted.overlay.*}.
 */
final class XattrCalls {
    /** int lsetxattr(const char *path, const char *name, const void *value, size_t size, int flags). */
    private static final Libc.Function LSETXATTR = Libc.function("lsetxattr");
    /** ssize_t lgetxattr(const char *path, const char *name, void *value, size_t size). */
    private static final Libc.Function LGETXATTR = Libc.function("lgetxattr");
    /** ssize_t llistxattr(const char *path, char *list, size_t size). */
    private static final Libc.Function LLISTXATTR = Libc.function("llistxattr");

    private XattrCalls() {
    }

    static void lsetxattr(Path path, String name, byte[] value) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment p = Libc.cString(arena, path.toString());
            MemorySegment n = Libc.cString(arena, name);
            MemorySegment v = arena.allocate(Math.max(value.length, 1));
            MemorySegment.copy(MemorySegment.ofArray(value), 0, v, 0, value.length);
            Libc.checkInt(arena, "lsetxattr ".concat(name), path.toString(), LSETXATTR,
                    address(p), address(n), address(v), value.length, 0);
        }
    }

    /** The value, or empty when the attribute is not set (ENODATA). */
    static Optional<byte[]> lgetxattr(Path path, String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment p = Libc.cString(arena, path.toString());
            MemorySegment n = Libc.cString(arena, name);
            String operation = "lgetxattr ".concat(name);
            while (true) {
                long size;
                try {
                    size = Libc.check(arena, operation, path.toString(), LGETXATTR, address(p), address(n), 0, 0);
                } catch (LinuxException e) {
                    if (e.errno() == Errno.ENODATA) {
                        return Optional.empty();
                    }
                    throw e;
                }
                MemorySegment v = arena.allocate(Math.max(size, 1));
                try {
                    long got = Libc.check(arena, operation, path.toString(), LGETXATTR, address(p), address(n),
                            address(v), size);
                    return Optional.of(bytes(v, got));
                } catch (LinuxException e) {
                    if (e.errno() != Errno.ERANGE) { // ERANGE: it grew between the two calls
                        throw e;
                    }
                }
            }
        }
    }

    /** The names of the attributes set on {@code path} (those the caller may see). */
    static List<String> llistxattr(Path path) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment p = Libc.cString(arena, path.toString());
            while (true) {
                long size = Libc.check(arena, "llistxattr", path.toString(), LLISTXATTR, address(p), 0, 0);
                if (size == 0) {
                    return List.of();
                }
                MemorySegment list = arena.allocate(size);
                try {
                    long got = Libc.check(arena, "llistxattr", path.toString(), LLISTXATTR, address(p),
                            address(list), size);
                    return names(bytes(list, got));
                } catch (LinuxException e) {
                    if (e.errno() != Errno.ERANGE) {
                        throw e;
                    }
                }
            }
        }
    }

    /** The first {@code n} bytes of a native segment (copied as Libc's class comment advises). */
    private static byte[] bytes(MemorySegment segment, long n) {
        byte[] out = new byte[(int) n];
        MemorySegment.copy(segment, 0, MemorySegment.ofArray(out), 0, n);
        return out;
    }

    /** The NUL-separated names of llistxattr's buffer. */
    static List<String> names(byte[] list) {
        List<String> names = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < list.length; i++) {
            if (list[i] == 0) {
                if (i > start) {
                    names.add(new String(list, start, i - start, StandardCharsets.UTF_8));
                }
                start = i + 1;
            }
        }
        return names;
    }
}
