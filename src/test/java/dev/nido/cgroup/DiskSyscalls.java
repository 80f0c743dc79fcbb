package dev.nido.cgroup;

import dev.nido.linux.Fd;
import dev.nido.linux.Pipe;
import dev.nido.linux.RecordingSyscalls;
import dev.nido.linux.Syscalls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A recording Syscalls whose writeFile and mkdir also happen on disk (truncating, like a cgroup
 * file), so code that reads back what it wrote can be tested on a fake tree. Failures injected
 * with {@code rec.failWhen} happen before the disk write.
 */
final class DiskSyscalls implements Syscalls {
    final RecordingSyscalls rec = new RecordingSyscalls();

    @Override
    public void writeFile(Path path, String content) {
        rec.writeFile(path, content);
        try {
            Files.writeString(path, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean mkdir(Path path, int mode) {
        boolean existed = Files.isDirectory(path);
        rec.mkdir(path, mode);
        FakeCgroupTree.mkdir(path);
        return !existed;
    }

    @Override
    public void rmdir(Path path) {
        rec.rmdir(path);
    }

    @Override
    public Pipe pipe() {
        return rec.pipe();
    }

    @Override
    public int read(Fd fd, byte[] buf, int off, int len) {
        return rec.read(fd, buf, off, len);
    }

    @Override
    public void writeAll(Fd fd, byte[] buf, int off, int len) {
        rec.writeAll(fd, buf, off, len);
    }

    @Override
    public void close(Fd fd) {
        rec.close(fd);
    }

    @Override
    public Fd sealedMemfd(String name, byte[] content) {
        return rec.sealedMemfd(name, content);
    }

    @Override
    public int spawn(String path, List<String> argv, List<String> env, Map<Integer, Fd> fds) {
        return rec.spawn(path, argv, env, fds);
    }

    @Override
    public int waitpid(int pid) {
        return rec.waitpid(pid);
    }

    @Override
    public void kill(int pid, int signal) {
        rec.kill(pid, signal);
    }

    @Override
    public boolean alive(int pid) {
        return rec.alive(pid);
    }

    @Override
    public void mkfifo(Path path, int mode) {
        rec.mkfifo(path, mode);
    }

    @Override
    public Fd openFifoWriter(Path path) {
        return rec.openFifoWriter(path);
    }

    @Override
    public Fd connectUnix(Path path) {
        return rec.connectUnix(path);
    }

    @Override
    public boolean unlink(Path path) {
        return rec.unlink(path);
    }

    @Override
    public Fd loadCgroupDeviceProgram(byte[] insns, String license) {
        return rec.loadCgroupDeviceProgram(insns, license);
    }

    @Override
    public void attachCgroupDeviceProgram(Fd prog, Path cgroupDir) {
        rec.attachCgroupDeviceProgram(prog, cgroupDir);
    }
}
