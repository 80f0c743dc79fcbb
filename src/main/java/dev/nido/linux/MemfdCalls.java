package dev.nido.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** memfd_create(2) and file sealing (memfd_create(2), fcntl(2) "File Sealing"). */
final class MemfdCalls {
    /** {@code <linux/memfd.h>} MFD_CLOEXEC. */
    static final int MFD_CLOEXEC = 1;
    /** {@code <linux/memfd.h>} MFD_ALLOW_SEALING. */
    static final int MFD_ALLOW_SEALING = 2;
    /** {@code <linux/fcntl.h>} F_SEAL_SEAL: no more seals. */
    static final int F_SEAL_SEAL = 1;
    /** F_SEAL_SHRINK: the size cannot decrease. */
    static final int F_SEAL_SHRINK = 2;
    /** F_SEAL_GROW: the size cannot increase. */
    static final int F_SEAL_GROW = 4;
    /** F_SEAL_WRITE: the content cannot change. */
    static final int F_SEAL_WRITE = 8;
    static final int ALL_SEALS = F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE;

    /** int memfd_create(const char *name, unsigned int flags). */
    private static final Libc.Function MEMFD_CREATE = Libc.function("memfd_create");

    private MemfdCalls() {
    }

    static Fd sealedMemfd(String name, byte[] content) {
        Fd fd = create(name);
        try {
            FdCalls.writeAll(fd, content, 0, content.length, "memfd:".concat(name));
            FdCalls.fcntl(fd, FdCalls.F_ADD_SEALS, ALL_SEALS, "fcntl F_ADD_SEALS memfd:".concat(name));
            return fd;
        } catch (RuntimeException e) {
            FdCalls.close(fd);
            throw e;
        }
    }

    private static Fd create(String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment n = Libc.cString(arena, name);
            return new Fd(Libc.checkInt(arena, "memfd_create", name,
                    MEMFD_CREATE, Libc.address(n), MFD_CLOEXEC | MFD_ALLOW_SEALING));
        }
    }

    /** fcntl(F_GET_SEALS), for tests and checks. */
    static int seals(Fd fd) {
        return FdCalls.fcntl(fd, FdCalls.F_GET_SEALS, 0, "fcntl F_GET_SEALS");
    }
}
