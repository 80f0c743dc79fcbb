package dev.nido.linux;

import static dev.nido.linux.Libc.address;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/** Calls on file descriptors: pipe2, read, write, close, fcntl. */
final class FdCalls {
    /** {@code <fcntl.h>}: O_CLOEXEC = 02000000. */
    static final int O_CLOEXEC = 0x80000;
    /** fcntl(2) F_DUPFD_CLOEXEC (1024 + 6). */
    static final int F_DUPFD_CLOEXEC = 1030;
    /** fcntl(2) F_ADD_SEALS (1024 + 9). */
    static final int F_ADD_SEALS = 1033;
    /** fcntl(2) F_GET_SEALS (1024 + 10). */
    static final int F_GET_SEALS = 1034;

    /** int pipe2(int pipefd[2], int flags). */
    private static final Libc.Function PIPE2 = Libc.function("pipe2");
    /** ssize_t read(int fd, void *buf, size_t count). */
    private static final Libc.Function READ = Libc.function("read");
    /** ssize_t write(int fd, const void *buf, size_t count). */
    private static final Libc.Function WRITE = Libc.function("write");
    /** int close(int fd). */
    private static final Libc.Function CLOSE = Libc.function("close");
    /** int fcntl(int fd, int cmd, ...): variadic, always called here with one int argument. */
    private static final Libc.Function FCNTL = Libc.function("fcntl");

    private FdCalls() {
    }

    static Pipe pipe() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(ValueLayout.JAVA_INT, 2);
            Libc.checkInt(arena, "pipe2", "", PIPE2, address(fds), O_CLOEXEC);
            return new Pipe(new Fd(Libc.getInt(fds, 0)), new Fd(Libc.getInt(fds, Integer.BYTES)));
        }
    }

    static int read(Fd fd, byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment nativeBuf = arena.allocate(Math.max(len, 1));
            int count = (int) Libc.check(arena, "read", fd.toString(), READ, fd.value(), address(nativeBuf), len);
            MemorySegment.copy(nativeBuf, 0, MemorySegment.ofArray(buf), off, count);
            return count;
        }
    }

    static void writeAll(Fd fd, byte[] buf, int off, int len, String path) {
        Objects.checkFromIndexSize(off, len, buf.length);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment nativeBuf = arena.allocate(Math.max(len, 1));
            MemorySegment.copy(MemorySegment.ofArray(buf), off, nativeBuf, 0, len);
            long done = 0;
            while (done < len) {
                done += Libc.check(arena, "write", path, WRITE, fd.value(), address(nativeBuf) + done, len - done);
            }
        }
    }

    /** Exactly one write(2); returns the count written. */
    static long writeOnce(Arena arena, Fd fd, byte[] bytes, String path) {
        MemorySegment nativeBuf = arena.allocate(Math.max(bytes.length, 1));
        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, nativeBuf, 0, bytes.length);
        return Libc.check(arena, "write", path, WRITE, fd.value(), address(nativeBuf), bytes.length);
    }

    static void close(Fd fd) {
        if (fd.value() < 0) {
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            int result = Libc.intResultOrNegatedErrno(arena, CLOSE, fd.value());
            // close(2): on Linux the fd is released even when EINTR is reported, so never retry.
            if (result < 0 && result != -Errno.EBADF && result != -Errno.EINTR) {
                throw new LinuxException("close", fd.toString(), -result);
            }
        }
    }

    /** fcntl(fd, cmd, arg). */
    static int fcntl(Fd fd, int cmd, int arg, String operation) {
        try (Arena arena = Arena.ofConfined()) {
            return Libc.checkInt(arena, operation, fd.toString(), FCNTL, fd.value(), cmd, arg);
        }
    }
}
