package dev.nido.linux;

import static dev.nido.linux.Libc.address;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * File metadata that Java NIO cannot set without following a symlink or at all: lchown,
 * utimensat(AT_SYMLINK_NOFOLLOW) and mknodat for devices, fifos and overlay whiteouts.
 */
final class FileMetaCalls {
    /** {@code <fcntl.h>} AT_FDCWD. */
    static final int AT_FDCWD = -100;
    /** {@code <fcntl.h>} AT_SYMLINK_NOFOLLOW. */
    static final int AT_SYMLINK_NOFOLLOW = 0x100;

    /** int lchown(const char *path, uid_t owner, gid_t group). */
    private static final Libc.Function LCHOWN = Libc.function("lchown");
    /** int utimensat(int dirfd, const char *path, const struct timespec times[2], int flags). */
    private static final Libc.Function UTIMENSAT = Libc.function("utimensat");
    /** int mknodat(int dirfd, const char *path, mode_t mode, dev_t dev) (a symbol since glibc 2.33). */
    private static final Libc.Function MKNODAT = Libc.function("mknodat");

    private FileMetaCalls() {
    }

    static void lchown(Path path, int uid, int gid) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment p = Libc.cString(arena, path.toString());
            Libc.checkInt(arena, "lchown", path.toString(), LCHOWN, address(p), uid, gid);
        }
    }

    /**
     * Sets access and modification time of {@code path} itself (a symlink's own times).
     * <pre>
     * struct timespec {      // x86_64 and aarch64: 16 bytes
     *     time_t tv_sec;     // 0: int64
     *     long   tv_nsec;    // 8: int64
     * } times[2];            // [0] atime, [1] mtime
     * </pre>
     */
    static void lutimens(Path path, long seconds, int nanos) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment p = Libc.cString(arena, path.toString());
            MemorySegment times = arena.allocate(32, 8);
            Libc.setLong(times, 0, seconds);
            Libc.setLong(times, 8, nanos);
            Libc.setLong(times, 16, seconds);
            Libc.setLong(times, 24, nanos);
            Libc.checkInt(arena, "utimensat", path.toString(), UTIMENSAT, AT_FDCWD, address(p), address(times),
                    AT_SYMLINK_NOFOLLOW);
        }
    }

    /** mknodat(AT_FDCWD, path, mode, makedev(major, minor)); mode holds the type (S_IFCHR …). */
    static void mknod(Path path, int mode, int major, int minor) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment p = Libc.cString(arena, path.toString());
            Libc.checkInt(arena, "mknod", path.toString(), MKNODAT, AT_FDCWD, address(p), mode, makedev(major, minor));
        }
    }

    /**
     * glibc's {@code gnu_dev_makedev} ({@code <sys/sysmacros.h>}): the 64-bit dev_t with the
     * major number in bits 8-19 and 32-43 and the minor in bits 0-7 and 20-31.
     */
    static long makedev(int major, int minor) {
        long ma = major & 0xffffffffL;
        long mi = minor & 0xffffffffL;
        return (ma & 0x00000fffL) << 8 | (ma & 0xfffff000L) << 32 | (mi & 0x000000ffL) | (mi & 0xffffff00L) << 12;
    }
}
