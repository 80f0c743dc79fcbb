package dev.nido.linux;

import static dev.nido.linux.Libc.C_INT;
import static dev.nido.linux.Libc.C_LONG;
import static dev.nido.linux.Libc.C_POINTER;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
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
    private static final MethodHandle PIPE2 = Libc.errnoFunction("pipe2",
            FunctionDescriptor.of(C_INT, C_POINTER, C_INT));
    /** ssize_t read(int fd, void *buf, size_t count). */
    private static final MethodHandle READ = Libc.errnoFunction("read",
            FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_LONG));
    /** ssize_t write(int fd, const void *buf, size_t count). */
    private static final MethodHandle WRITE = Libc.errnoFunction("write",
            FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_LONG));
    /** int close(int fd). */
    private static final MethodHandle CLOSE = Libc.errnoFunction("close",
            FunctionDescriptor.of(C_INT, C_INT));
    /** int fcntl(int fd, int cmd, ...): variadic, always called here with one int argument. */
    private static final MethodHandle FCNTL = Libc.errnoFunction("fcntl",
            FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT), Linker.Option.firstVariadicArg(2));

    private FdCalls() {
    }

    static Pipe pipe() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(C_INT, 2);
            Libc.checkInt(arena, "pipe2", "", s -> (int) PIPE2.invokeExact(s, fds, O_CLOEXEC));
            return new Pipe(new Fd(fds.getAtIndex(C_INT, 0)), new Fd(fds.getAtIndex(C_INT, 1)));
        }
    }

    static int read(Fd fd, byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment nativeBuf = arena.allocate(Math.max(len, 1));
            int count = (int) Libc.check(arena, "read", fd.toString(),
                    s -> (long) READ.invokeExact(s, fd.value(), nativeBuf, (long) len));
            MemorySegment.copy(nativeBuf, ValueLayout.JAVA_BYTE, 0, buf, off, count);
            return count;
        }
    }

    static void writeAll(Fd fd, byte[] buf, int off, int len, String path) {
        Objects.checkFromIndexSize(off, len, buf.length);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment nativeBuf = arena.allocate(Math.max(len, 1));
            MemorySegment.copy(buf, off, nativeBuf, ValueLayout.JAVA_BYTE, 0, len);
            long done = 0;
            while (done < len) {
                MemorySegment rest = nativeBuf.asSlice(done);
                long remaining = len - done;
                done += Libc.check(arena, "write", path,
                        s -> (long) WRITE.invokeExact(s, fd.value(), rest, remaining));
            }
        }
    }

    /** Exactly one write(2); returns the count written. */
    static long writeOnce(Arena arena, Fd fd, byte[] bytes, String path) {
        MemorySegment nativeBuf = arena.allocate(Math.max(bytes.length, 1));
        MemorySegment.copy(bytes, 0, nativeBuf, ValueLayout.JAVA_BYTE, 0, bytes.length);
        return Libc.check(arena, "write", path,
                s -> (long) WRITE.invokeExact(s, fd.value(), nativeBuf, (long) bytes.length));
    }

    static void close(Fd fd) {
        if (fd.value() < 0) {
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            int result = (int) Libc.resultOrNegatedErrno(arena, s -> (int) CLOSE.invokeExact(s, fd.value()));
            // close(2): on Linux the fd is released even when EINTR is reported, so never retry.
            if (result < 0 && result != -Errno.EBADF && result != -Errno.EINTR) {
                throw new LinuxException("close", fd.toString(), -result);
            }
        }
    }

    /** fcntl(fd, cmd, arg). */
    static int fcntl(Fd fd, int cmd, int arg, String operation) {
        try (Arena arena = Arena.ofConfined()) {
            return Libc.checkInt(arena, operation, fd.toString(),
                    s -> (int) FCNTL.invokeExact(s, fd.value(), cmd, arg));
        }
    }
}
