package dev.nido.linux;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The kernel as nido's Java code sees it: every operation that has an effect outside the JVM
 * goes through here, so that a recording implementation can check the exact sequence in tests
 * and an explaining decorator can print each call as the equivalent shell command
 * ({@code --explain}). All methods throw {@link LinuxException} naming the operation, the path
 * and the errno; EINTR is retried inside.
 */
public interface Syscalls {

    /** The real implementation, through the Foreign Function &amp; Memory API. */
    static Syscalls real() {
        return RealSyscalls.INSTANCE;
    }

    /**
     * Links the native calls on a background thread, so that the ~30 ms the JDK needs to build
     * its first downcall stub overlaps with whatever the caller does next (reading config.json).
     * A short-lived command calls this first thing; a second call does nothing.
     */
    static void warmUpInBackground() {
        RealSyscalls.warmUpInBackground();
    }

    /** pipe2(O_CLOEXEC). */
    Pipe pipe();

    /** read(2) into buf; returns the count, 0 at end of file. */
    int read(Fd fd, byte[] buf, int off, int len);

    /** write(2) until all len bytes are written. */
    void writeAll(Fd fd, byte[] buf, int off, int len);

    /** close(2); closing an already closed or negative fd is a no-op. */
    void close(Fd fd);

    /**
     * A copy of {@code content} in a memfd (MFD_CLOEXEC | MFD_ALLOW_SEALING) sealed with
     * F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE, so that a process that executes
     * it through {@code /proc/self/fd/N} cannot be rewritten via {@code /proc/PID/exe}
     * (CVE-2019-5736).
     */
    Fd sealedMemfd(String name, byte[] content);

    /**
     * posix_spawn(3) of {@code path} with argv and env. The child gets the fds of {@code fds}
     * (key = fd number in the child, value = fd in this process) plus 0, 1, 2 inherited; every
     * other fd is closed (posix_spawn_file_actions_addclosefrom_np). All signals are reset to
     * default and unblocked in the child. Returns the child's pid.
     *
     * <p>A {@code path} of the form {@code /proc/self/fd/N} names fd N of this process (typically
     * a {@link #sealedMemfd}); it is passed to the child too (as the child fd that already maps it,
     * else as the first number above the targets) and stays open there, and the path is rewritten
     * to the child's number. The child is expected to close it before it executes anything else.
     */
    int spawn(String path, List<String> argv, List<String> env, Map<Integer, Fd> fds);

    /** waitpid(pid, &amp;status, 0): the raw wait status. */
    int waitpid(int pid);

    /** kill(2). */
    void kill(int pid, int signal);

    /** kill(pid, 0): false on ESRCH. */
    boolean alive(int pid);

    /** mkfifo(3). */
    void mkfifo(Path path, int mode);

    /** open(2) a fifo for writing without blocking: O_WRONLY | O_NONBLOCK | O_CLOEXEC (ENXIO: no reader). */
    Fd openFifoWriter(Path path);

    /** socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC) connected to {@code path}. */
    Fd connectUnix(Path path);

    /** mkdir(2) of one directory; returns false if it already existed. */
    boolean mkdir(Path path, int mode);

    /** rmdir(2). */
    void rmdir(Path path);

    /** unlink(2); false if it did not exist. */
    boolean unlink(Path path);

    /** open(O_WRONLY | O_CLOEXEC) and one write(2) of content (uid_map, cgroup files, /proc knobs). */
    void writeFile(Path path, String content);

    /**
     * bpf(BPF_PROG_LOAD) of a BPF_PROG_TYPE_CGROUP_DEVICE program ({@code insns}: encoded
     * {@code struct bpf_insn}s). When the verifier refuses it, the exception's message ends with
     * the last lines of the verifier log. The fd is close-on-exec.
     */
    Fd loadCgroupDeviceProgram(byte[] insns, String license);

    /**
     * bpf(BPF_PROG_ATTACH) of a device program to a cgroup v2 directory, type BPF_CGROUP_DEVICE,
     * flag BPF_F_ALLOW_MULTI. The program stays attached as long as the cgroup exists: the
     * caller may close {@code prog} afterwards.
     */
    void attachCgroupDeviceProgram(Fd prog, Path cgroupDir);

    /*
     * File metadata with nofollow semantics (image layers: the path may be a symlink planted by a
     * layer, and its target must never be touched). Default methods refuse, so that a test double
     * written before these existed still compiles; the three implementations here override them.
     */

    /** mount(2) on the host (an overlay root filesystem); {@code data} may be null. */
    default void mount(String source, Path target, String fstype, long flags, String data) {
        throw unsupported("mount");
    }

    /**
     * open_tree(2) of {@code source} (a detached clone) made id-mapped through the user namespace
     * open at {@code userns} (mount_setattr(2) MOUNT_ATTR_IDMAP); usable as /proc/self/fd/N.
     */
    default Fd idmappedTree(Path source, Fd userns) {
        throw unsupported("open_tree");
    }

    /** open(2) read-only and close-on-exec: a namespace file such as /proc/PID/ns/user. */
    default Fd openReadOnly(Path path) {
        throw unsupported("open");
    }

    /** umount2(2); {@code flags} 2 = MNT_DETACH. */
    default void umount(Path target, int flags) {
        throw unsupported("umount2");
    }

    /** lchown(2): the owner of {@code path} itself, never of a symlink's target; -1 leaves an id as is. */
    default void lchown(Path path, int uid, int gid) {
        throw unsupported("lchown");
    }

    /** utimensat(AT_FDCWD, path, {t, t}, AT_SYMLINK_NOFOLLOW): atime and mtime of the path itself. */
    default void lutimens(Path path, long seconds, int nanos) {
        throw unsupported("lutimens");
    }

    /**
     * mknodat(AT_FDCWD, path, mode, makedev(major, minor)): {@code mode} holds the file type
     * ({@link #S_IFCHR}, {@link #S_IFBLK}, {@link #S_IFIFO}) and the permission bits (less umask).
     * A character device 0/0 is an overlayfs whiteout, which needs no CAP_MKNOD since Linux 5.8.
     */
    default void mknod(Path path, int mode, int major, int minor) {
        throw unsupported("mknod");
    }

    /** lsetxattr(2) with flags 0 (create or replace). */
    default void lsetxattr(Path path, String name, byte[] value) {
        throw unsupported("lsetxattr");
    }

    /** lgetxattr(2): the value, or empty when the attribute is not set (ENODATA). */
    default Optional<byte[]> lgetxattr(Path path, String name) {
        throw unsupported("lgetxattr");
    }

    /** llistxattr(2): the names of the path's own extended attributes that this process may see. */
    default List<String> llistxattr(Path path) {
        throw unsupported("llistxattr");
    }

    /** {@code <sys/stat.h>} S_IFIFO = 0010000. */
    int S_IFIFO = 0010000;
    /** {@code <sys/stat.h>} S_IFCHR = 0020000. */
    int S_IFCHR = 0020000;
    /** {@code <sys/stat.h>} S_IFBLK = 0060000. */
    int S_IFBLK = 0060000;

    private UnsupportedOperationException unsupported(String call) {
        return new UnsupportedOperationException(getClass().getName() + " does not implement " + call);
    }
}
