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
    /** long syscall(long number, ...): open_tree and mount_setattr have no glibc wrapper in Debian 12. */
    private static final Libc.Function SYSCALL = Libc.function("syscall");
    /** open_tree(2) and mount_setattr(2): the same numbers on x86_64 and aarch64 (asm-generic). */
    private static final long SYS_OPEN_TREE = 428;
    private static final long SYS_MOUNT_SETATTR = 442;
    /** {@code <linux/mount.h>}: OPEN_TREE_CLONE, OPEN_TREE_CLOEXEC (= O_CLOEXEC). */
    private static final long OPEN_TREE_CLONE = 1;
    private static final long OPEN_TREE_CLOEXEC = 0x80000;
    /** AT_EMPTY_PATH: act on the fd itself. */
    private static final long AT_EMPTY_PATH = 0x1000;
    /** MOUNT_ATTR_IDMAP. */
    private static final long MOUNT_ATTR_IDMAP = 0x00100000;
    /** sizeof(struct mount_attr): attr_set, attr_clr, propagation, userns_fd, each u64. */
    private static final int MOUNT_ATTR_SIZE = 32;

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

    /**
     * A detached copy of the mount at {@code source}, id-mapped through the user namespace
     * {@code userns} (open_tree(2) OPEN_TREE_CLONE, then mount_setattr(2) MOUNT_ATTR_IDMAP); it
     * can be used as a path through /proc/self/fd/N while the fd is open, and goes with it.
     */
    static Fd idmappedTree(Path source, Fd userns) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment p = Libc.cString(arena, source.toString());
            Fd tree = new Fd(Libc.checkInt(arena, "open_tree", source.toString(), SYSCALL, SYS_OPEN_TREE,
                    -100 /* AT_FDCWD */, address(p), OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC));
            try {
                MemorySegment attr = arena.allocate(MOUNT_ATTR_SIZE);
                Libc.setLong(attr, 0, MOUNT_ATTR_IDMAP);
                Libc.setLong(attr, 24, userns.value());
                MemorySegment empty = Libc.cString(arena, "");
                Libc.checkInt(arena, "mount_setattr MOUNT_ATTR_IDMAP", source.toString(), SYSCALL, SYS_MOUNT_SETATTR,
                        tree.value(), address(empty), AT_EMPTY_PATH, address(attr), MOUNT_ATTR_SIZE);
                return tree;
            } catch (RuntimeException e) {
                FdCalls.close(tree);
                throw e;
            }
        }
    }

    static void umount(Path target, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment t = Libc.cString(arena, target.toString());
            Libc.checkInt(arena, "umount2", target.toString(), UMOUNT2, address(t), flags);
        }
    }
}
