package dev.nido.linux;

import static dev.nido.linux.Libc.address;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * mount(2) and umount2(2) for what Java does on the host itself (an image's overlay root
 * filesystem); everything inside a container is mounted by the C helper.
 */
final class MountCalls {
    /** int mount(const char *source, const char *target, const char *fstype, unsigned long flags, const void *data). */
    private static final Libc.Function MOUNT = Libc.function("mount");
    /** int umount2(const char *target, int flags). */
    private static final Libc.Function UMOUNT2 = Libc.function("umount2");

    private MountCalls() {
    }

    static void mount(String source, Path target, String fstype, long flags, String data) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = Libc.cString(arena, source);
            MemorySegment t = Libc.cString(arena, target.toString());
            MemorySegment f = Libc.cString(arena, fstype);
            long d = data == null ? 0 : address(Libc.cString(arena, data));
            Libc.checkInt(arena, "mount", target.toString(), MOUNT, address(s), address(t), address(f), flags, d);
        }
    }

    static void umount(Path target, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment t = Libc.cString(arena, target.toString());
            Libc.checkInt(arena, "umount2", target.toString(), UMOUNT2, address(t), flags);
        }
    }
}
