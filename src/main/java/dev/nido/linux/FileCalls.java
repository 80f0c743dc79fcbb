package dev.nido.linux;

import static dev.nido.linux.Libc.address;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Calls on paths: open, mkdir, rmdir, unlink, mkfifo. */
final class FileCalls {
    /** {@code <fcntl.h>} O_WRONLY. */
    static final int O_WRONLY = 1;
    /** {@code <fcntl.h>} O_NONBLOCK = 04000. */
    static final int O_NONBLOCK = 0x800;

    /** int open(const char *path, int flags, ...): variadic, called with a mode_t (unsigned int). */
    private static final Libc.Function OPEN = Libc.function("open");
    /** int mkdir(const char *path, mode_t mode). */
    private static final Libc.Function MKDIR = Libc.function("mkdir");
    /** int rmdir(const char *path). */
    private static final Libc.Function RMDIR = Libc.function("rmdir");
    /** int unlink(const char *path). */
    private static final Libc.Function UNLINK = Libc.function("unlink");
    /** int mkfifo(const char *path, mode_t mode). */
    private static final Libc.Function MKFIFO = Libc.function("mkfifo");

    private FileCalls() {
    }

    static Fd open(Path path, int flags, String operation) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment p = Libc.cString(arena, path.toString());
            return new Fd(Libc.checkInt(arena, operation, path.toString(),
                    OPEN, address(p), flags | FdCalls.O_CLOEXEC, 0));
        }
    }

    static Fd openFifoWriter(Path path) {
        return open(path, O_WRONLY | O_NONBLOCK, "open fifo");
    }

    static boolean mkdir(Path path, int mode) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment p = Libc.cString(arena, path.toString());
            int result;
            do {
                result = Libc.intResultOrNegatedErrno(arena, MKDIR, address(p), mode);
            } while (result == -Errno.EINTR);
            if (result == -Errno.EEXIST) {
                return false;
            }
            if (result < 0) {
                throw new LinuxException("mkdir", path.toString(), -result);
            }
            return true;
        }
    }

    static void rmdir(Path path) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment p = Libc.cString(arena, path.toString());
            Libc.checkInt(arena, "rmdir", path.toString(), RMDIR, address(p));
        }
    }

    static boolean unlink(Path path) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment p = Libc.cString(arena, path.toString());
            int result;
            do {
                result = Libc.intResultOrNegatedErrno(arena, UNLINK, address(p));
            } while (result == -Errno.EINTR);
            if (result == -Errno.ENOENT) {
                return false;
            }
            if (result < 0) {
                throw new LinuxException("unlink", path.toString(), -result);
            }
            return true;
        }
    }

    static void mkfifo(Path path, int mode) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment p = Libc.cString(arena, path.toString());
            Libc.checkInt(arena, "mkfifo", path.toString(), MKFIFO, address(p), mode);
        }
    }

    /**
     * One write(2): files such as uid_map accept a single write only (user_namespaces(7)), and
     * cgroup and /proc knobs treat each write as one command.
     */
    static void writeFile(Path path, String content) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        Fd fd = open(path, O_WRONLY, "open");
        try (Arena arena = Arena.ofConfined()) {
            long written = FdCalls.writeOnce(arena, fd, bytes, path.toString());
            if (written != bytes.length) {
                // A short write would split one command in two; the kernel files we write never do it.
                throw new LinuxException("write (short: " + written + " of " + bytes.length + " bytes)",
                        path.toString(), Errno.EIO);
            }
        } finally {
            FdCalls.close(fd);
        }
    }
}
