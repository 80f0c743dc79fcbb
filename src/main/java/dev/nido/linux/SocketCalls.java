package dev.nido.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Unix domain sockets: socket(2) and connect(2). */
final class SocketCalls {
    static final int AF_UNIX = 1;
    static final int SOCK_STREAM = 1;
    /** {@code <bits/socket_type.h>} SOCK_CLOEXEC = O_CLOEXEC. */
    static final int SOCK_CLOEXEC = 0x80000;
    /** sizeof(sun_path) on Linux (unix(7)). */
    static final int SUN_PATH_SIZE = 108;

    /**
     * unix(7):
     * <pre>
     * struct sockaddr_un {
     *     sa_family_t sun_family;     // u16: AF_UNIX            offset 0
     *     char        sun_path[108];  // NUL-terminated path     offset 2
     * };                              // 110 bytes, alignment 2
     * </pre>
     */
    static final StructLayout SOCKADDR_UN = MemoryLayout.structLayout(
            ValueLayout.JAVA_SHORT.withName("sun_family"),
            MemoryLayout.sequenceLayout(SUN_PATH_SIZE, ValueLayout.JAVA_BYTE).withName("sun_path"));
    private static final long SUN_PATH_OFFSET =
            SOCKADDR_UN.byteOffset(MemoryLayout.PathElement.groupElement("sun_path"));

    /** int socket(int domain, int type, int protocol). */
    private static final Libc.Function SOCKET = Libc.function("socket");
    /** int connect(int sockfd, const struct sockaddr *addr, socklen_t addrlen). */
    private static final Libc.Function CONNECT = Libc.function("connect");

    private SocketCalls() {
    }

    static Fd connectUnix(Path path) {
        byte[] name = path.toString().getBytes(StandardCharsets.UTF_8);
        if (name.length >= SUN_PATH_SIZE) {
            // unix(7): sun_path holds at most 107 bytes and the NUL; the kernel would truncate.
            throw new LinuxException("connect", path.toString(), Errno.ENAMETOOLONG);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment address = arena.allocate(SOCKADDR_UN);
            address.set(ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
            MemorySegment.copy(MemorySegment.ofArray(name), 0, address, SUN_PATH_OFFSET, name.length);
            int length = (int) SUN_PATH_OFFSET + name.length + 1;
            Fd fd = new Fd(Libc.checkInt(arena, "socket", path.toString(),
                    SOCKET, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
            try {
                connect(arena, fd, address, length, path);
                return fd;
            } catch (RuntimeException e) {
                FdCalls.close(fd);
                throw e;
            }
        }
    }

    private static void connect(Arena arena, Fd fd, MemorySegment address, int length, Path path) {
        boolean interrupted = false;
        while (true) {
            int result = Libc.intResultOrNegatedErrno(arena, CONNECT, fd.value(), Libc.address(address), length);
            if (result >= 0 || (interrupted && result == -Errno.EISCONN)) {
                return; // connect(2): after EINTR the connection may complete in the background
            }
            if (result != -Errno.EINTR) {
                throw new LinuxException("connect", path.toString(), -result);
            }
            interrupted = true;
        }
    }
}
