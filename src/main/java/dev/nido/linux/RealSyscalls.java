package dev.nido.linux;

import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link Syscalls} through the Foreign Function &amp; Memory API. Each group of functions lives in
 * its own {@code *Calls} class, which looks up its symbols when it is first used; all of them
 * are called through the one downcall handle of {@link Libc}, linked on the first call.
 */
final class RealSyscalls implements Syscalls {
    static final Syscalls INSTANCE = new RealSyscalls();

    /** Whether the warm-up thread was started (a plain flag: AtomicBoolean would first spin var handles). */
    private static boolean warming;

    private RealSyscalls() {
    }

    /** See {@link Syscalls#warmUpInBackground()}. */
    static synchronized void warmUpInBackground() {
        if (!warming) {
            warming = true;
            Thread t = new Thread(RealSyscalls::warmUp, "nido-ffm-warmup");
            t.setDaemon(true);
            t.start();
        }
    }

    /**
     * Links the downcall handle, then makes the calls every launch makes first (a pipe, C strings),
     * so that the first use of the memory access paths they take is paid here as well.
     */
    private static void warmUp() {
        INSTANCE.alive(1);
        try {
            Pipe p = FdCalls.pipe();
            FdCalls.close(p.readEnd());
            FdCalls.close(p.writeEnd());
            try (Arena arena = Arena.ofConfined()) {
                Libc.cStringArray(arena, List.of("nido"));
            }
        } catch (LinuxException e) {
            // EMFILE and the like: the command's own calls will report it
        }
    }

    @Override
    public Pipe pipe() {
        return FdCalls.pipe();
    }

    @Override
    public int read(Fd fd, byte[] buf, int off, int len) {
        return FdCalls.read(fd, buf, off, len);
    }

    @Override
    public void writeAll(Fd fd, byte[] buf, int off, int len) {
        FdCalls.writeAll(fd, buf, off, len, fd.toString());
    }

    @Override
    public void close(Fd fd) {
        FdCalls.close(fd);
    }

    @Override
    public Fd sealedMemfd(String name, byte[] content) {
        return MemfdCalls.sealedMemfd(name, content);
    }

    @Override
    public int spawn(String path, List<String> argv, List<String> env, Map<Integer, Fd> fds) {
        return SpawnCalls.spawn(path, argv, env, fds);
    }

    @Override
    public int waitpid(int pid) {
        return ProcessCalls.waitpid(pid);
    }

    @Override
    public void kill(int pid, int signal) {
        ProcessCalls.kill(pid, signal);
    }

    @Override
    public boolean alive(int pid) {
        return ProcessCalls.alive(pid);
    }

    @Override
    public void mkfifo(Path path, int mode) {
        FileCalls.mkfifo(path, mode);
    }

    @Override
    public Fd openFifoWriter(Path path) {
        return FileCalls.openFifoWriter(path);
    }

    @Override
    public Fd connectUnix(Path path) {
        return SocketCalls.connectUnix(path);
    }

    @Override
    public boolean mkdir(Path path, int mode) {
        return FileCalls.mkdir(path, mode);
    }

    @Override
    public void rmdir(Path path) {
        FileCalls.rmdir(path);
    }

    @Override
    public boolean unlink(Path path) {
        return FileCalls.unlink(path);
    }

    @Override
    public void writeFile(Path path, String content) {
        FileCalls.writeFile(path, content);
    }

    @Override
    public Fd loadCgroupDeviceProgram(byte[] insns, String license) {
        return BpfCalls.loadCgroupDeviceProgram(insns, license);
    }

    @Override
    public void attachCgroupDeviceProgram(Fd prog, Path cgroupDir) {
        BpfCalls.attachCgroupDeviceProgram(prog, cgroupDir);
    }

    @Override
    public void mount(String source, Path target, String fstype, long flags, String data) {
        MountCalls.mount(source, target, fstype, flags, data);
    }

    @Override
    public Fd openReadOnly(Path path) {
        return FileCalls.open(path, FdCalls.O_CLOEXEC, "open");
    }

    @Override
    public Fd idmappedTree(Path source, Fd userns) {
        return MountCalls.idmappedTree(source, userns);
    }

    @Override
    public void umount(Path target, int flags) {
        MountCalls.umount(target, flags);
    }

    @Override
    public void lchown(Path path, int uid, int gid) {
        FileMetaCalls.lchown(path, uid, gid);
    }

    @Override
    public void lutimens(Path path, long seconds, int nanos) {
        FileMetaCalls.lutimens(path, seconds, nanos);
    }

    @Override
    public void mknod(Path path, int mode, int major, int minor) {
        FileMetaCalls.mknod(path, mode, major, minor);
    }

    @Override
    public void lsetxattr(Path path, String name, byte[] value) {
        XattrCalls.lsetxattr(path, name, value);
    }

    @Override
    public Optional<byte[]> lgetxattr(Path path, String name) {
        return XattrCalls.lgetxattr(path, name);
    }

    @Override
    public List<String> llistxattr(Path path) {
        return XattrCalls.llistxattr(path);
    }
}
