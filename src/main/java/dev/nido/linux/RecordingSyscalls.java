package dev.nido.linux;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A {@link Syscalls} that touches nothing: it records each call as one readable line and returns
 * plausible values, so tests of higher layers can assert the exact sequence of kernel operations
 * without root. Lines:
 * <pre>
 * pipe
 * read fd 10 4096
 * writeAll fd 11 5
 * close fd 10
 * sealedMemfd nido-shim 12345                  (name, size)
 * spawn /proc/self/fd/7 [nido-shim, id] fds {3=fd 10, 4=fd 11}
 * waitpid 1000
 * kill 1000 TERM
 * alive 1000
 * mkfifo /run/nido/x/exec.fifo 0622
 * openFifoWriter /run/nido/x/exec.fifo
 * connectUnix /run/x/console.sock
 * mkdir /x 0755
 * rmdir /x
 * unlink /x
 * writeFile /sys/fs/cgroup/pids/a/cgroup.procs 42   (newlines shown as \n)
 * loadCgroupDeviceProgram 9 insns Apache-2.0
 * attachCgroupDeviceProgram fd 12 /sys/fs/cgroup/a
 * lchown /x 1234 5678
 * lutimens /x @1700000000.5                       (seconds[.fraction], as touch -d takes it)
 * mknod /dev/null c 0666 1 3                      (c, b or p, permission bits, major minor)
 * lsetxattr /x user.test hello                    (the value as setfattr takes it: text or 0x hex)
 * lgetxattr /x trusted.overlay.opaque
 * llistxattr /x
 * </pre>
 * Fds count up from 10 and pids from 1000. The recorder keeps a small model of what was done:
 * files written, directories and fifos made (so a second mkdir returns false and unlink of
 * something never made returns false), bytes written to each fd, extended attributes set (so
 * lgetxattr and llistxattr answer them). Thread-safe.
 */
public final class RecordingSyscalls implements Syscalls {
    /** One spawn, with what the line leaves out (env). */
    public record Spawned(int pid, String path, List<String> argv, List<String> env, Map<Integer, Fd> fds) {
    }

    private final List<String> calls = new ArrayList<>();
    private final List<Spawned> spawns = new ArrayList<>();
    private final Map<Path, String> files = new LinkedHashMap<>();
    private final Set<Path> directories = new HashSet<>();
    private final Set<Path> fifos = new HashSet<>();
    private final Map<Integer, byte[]> written = new HashMap<>();
    private final Map<Integer, Deque<byte[]>> toRead = new HashMap<>();
    private final Map<String, Integer> failures = new LinkedHashMap<>();
    private final Map<Fd, byte[]> programs = new LinkedHashMap<>();
    private final Map<Path, Map<String, byte[]>> xattrs = new HashMap<>();
    private int nextFd = 10;
    private int nextPid = 1000;
    private boolean alive = true;
    private int waitStatus;

    /** What {@link #alive(int)} answers (default true). */
    public synchronized RecordingSyscalls setAlive(boolean alive) {
        this.alive = alive;
        return this;
    }

    /** The raw status {@link #waitpid(int)} returns (default 0: exited with code 0). */
    public synchronized RecordingSyscalls setWaitStatus(int status) {
        this.waitStatus = status;
        return this;
    }

    /** Bytes that the next {@link #read} of {@code fd} returns (then 0: end of file). */
    public synchronized RecordingSyscalls stageRead(Fd fd, byte[] data) {
        toRead.computeIfAbsent(fd.value(), k -> new ArrayDeque<>()).add(data.clone());
        return this;
    }

    /**
     * Every later call whose line starts with {@code linePrefix} is recorded and then fails with
     * a {@link LinuxException} carrying {@code errno}, e.g. {@code failWhen("mkdir /sys/fs/cgroup", EACCES)}.
     */
    public synchronized RecordingSyscalls failWhen(String linePrefix, int errno) {
        failures.put(linePrefix, errno);
        return this;
    }

    /** The lines recorded so far, oldest first. */
    public synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    public synchronized List<Spawned> spawns() {
        return List.copyOf(spawns);
    }

    /** Every file written with {@link #writeFile}, last content wins, in order of first write. */
    public synchronized Map<Path, String> files() {
        return Map.copyOf(files);
    }

    public synchronized Optional<String> file(Path path) {
        return Optional.ofNullable(files.get(path));
    }

    /** All bytes written to {@code fd} with {@link #writeAll}. */
    public synchronized byte[] written(Fd fd) {
        return written.getOrDefault(fd.value(), new byte[0]).clone();
    }

    private void record(String line, String operation, String path) {
        calls.add(line);
        for (Map.Entry<String, Integer> f : failures.entrySet()) {
            if (line.startsWith(f.getKey())) {
                throw new LinuxException(operation, path, f.getValue());
            }
        }
    }

    private Fd newFd() {
        return new Fd(nextFd++);
    }

    private static String octal(int mode) {
        return String.format("%04o", mode);
    }

    @Override
    public synchronized Pipe pipe() {
        record("pipe", "pipe2", "");
        return new Pipe(newFd(), newFd());
    }

    @Override
    public synchronized int read(Fd fd, byte[] buf, int off, int len) {
        record("read " + fd + " " + len, "read", fd.toString());
        Deque<byte[]> queue = toRead.get(fd.value());
        byte[] next = queue == null ? null : queue.poll();
        if (next == null) {
            return 0;
        }
        int n = Math.min(len, next.length);
        System.arraycopy(next, 0, buf, off, n);
        if (n < next.length) {
            queue.addFirst(Arrays.copyOfRange(next, n, next.length));
        }
        return n;
    }

    @Override
    public synchronized void writeAll(Fd fd, byte[] buf, int off, int len) {
        record("writeAll " + fd + " " + len, "write", fd.toString());
        byte[] before = written.getOrDefault(fd.value(), new byte[0]);
        byte[] after = Arrays.copyOf(before, before.length + len);
        System.arraycopy(buf, off, after, before.length, len);
        written.put(fd.value(), after);
    }

    @Override
    public synchronized void close(Fd fd) {
        record("close " + fd, "close", fd.toString());
    }

    @Override
    public synchronized Fd sealedMemfd(String name, byte[] content) {
        record("sealedMemfd " + name + " " + content.length, "memfd_create", name);
        return newFd();
    }

    @Override
    public synchronized int spawn(String path, List<String> argv, List<String> env, Map<Integer, Fd> fds) {
        record("spawn " + path + " " + argv + " fds " + new TreeMap<>(fds), "posix_spawn", path);
        int pid = nextPid++;
        spawns.add(new Spawned(pid, path, List.copyOf(argv), List.copyOf(env), Map.copyOf(fds)));
        return pid;
    }

    @Override
    public synchronized int waitpid(int pid) {
        record("waitpid " + pid, "waitpid", "pid " + pid);
        return waitStatus;
    }

    @Override
    public synchronized void kill(int pid, int signal) {
        record("kill " + pid + " " + Signals.nameOrNumber(signal), "kill", "pid " + pid);
    }

    @Override
    public synchronized boolean alive(int pid) {
        record("alive " + pid, "kill -0", "pid " + pid);
        return alive;
    }

    @Override
    public synchronized void mkfifo(Path path, int mode) {
        record("mkfifo " + path + " " + octal(mode), "mkfifo", path.toString());
        fifos.add(path);
    }

    @Override
    public synchronized Fd openFifoWriter(Path path) {
        record("openFifoWriter " + path, "open fifo", path.toString());
        return newFd();
    }

    @Override
    public synchronized Fd connectUnix(Path path) {
        record("connectUnix " + path, "connect", path.toString());
        return newFd();
    }

    @Override
    public synchronized boolean mkdir(Path path, int mode) {
        record("mkdir " + path + " " + octal(mode), "mkdir", path.toString());
        return directories.add(path);
    }

    @Override
    public synchronized void rmdir(Path path) {
        record("rmdir " + path, "rmdir", path.toString());
        directories.remove(path);
    }

    @Override
    public synchronized boolean unlink(Path path) {
        record("unlink " + path, "unlink", path.toString());
        boolean file = files.remove(path) != null;
        boolean fifo = fifos.remove(path);
        return file || fifo;
    }

    @Override
    public synchronized void writeFile(Path path, String content) {
        record("writeFile " + path + " " + content.replace("\n", "\\n"), "open", path.toString());
        files.put(path, content);
    }

    /** The programs loaded with {@link #loadCgroupDeviceProgram}, by fd, for tests to run. */
    public synchronized Map<Fd, byte[]> programs() {
        return Map.copyOf(programs);
    }

    @Override
    public synchronized Fd loadCgroupDeviceProgram(byte[] insns, String license) {
        record("loadCgroupDeviceProgram " + insns.length / 8 + " insns " + license, "bpf BPF_PROG_LOAD",
                insns.length / 8 + " insns");
        Fd fd = newFd();
        programs.put(fd, insns.clone());
        return fd;
    }

    @Override
    public synchronized void attachCgroupDeviceProgram(Fd prog, Path cgroupDir) {
        record("attachCgroupDeviceProgram " + prog + " " + cgroupDir, "bpf BPF_PROG_ATTACH", cgroupDir.toString());
    }

    /** Convenience for tests: the bytes written to {@code fd} as UTF-8 text. */
    public synchronized String writtenText(Fd fd) {
        return new String(written(fd), StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void mount(String source, Path target, String fstype, long flags, String data) {
        record("mount " + fstype + " " + source + " " + target + " " + (data == null ? "" : data), "mount",
                target.toString());
    }

    @Override
    public synchronized void umount(Path target, int flags) {
        record("umount " + target + " " + flags, "umount2", target.toString());
    }

    @Override
    public synchronized void lchown(Path path, int uid, int gid) {
        record("lchown " + path + " " + uid + " " + gid, "lchown", path.toString());
    }

    @Override
    public synchronized void lutimens(Path path, long seconds, int nanos) {
        record("lutimens " + path + " " + ExplainingSyscalls.touchTime(seconds, nanos), "utimensat", path.toString());
    }

    @Override
    public synchronized void mknod(Path path, int mode, int major, int minor) {
        String type = ExplainingSyscalls.nodeType(mode);
        String numbers = "p".equals(type) ? "" : " " + major + " " + minor;
        record("mknod " + path + " " + type + " " + octal(mode & 07777) + numbers, "mknod", path.toString());
    }

    @Override
    public synchronized void lsetxattr(Path path, String name, byte[] value) {
        record("lsetxattr " + path + " " + name + " " + ExplainingSyscalls.xattrValue(value), "lsetxattr " + name,
                path.toString());
        xattrs.computeIfAbsent(path, k -> new TreeMap<>()).put(name, value.clone());
    }

    @Override
    public synchronized Optional<byte[]> lgetxattr(Path path, String name) {
        record("lgetxattr " + path + " " + name, "lgetxattr " + name, path.toString());
        byte[] value = xattrs.getOrDefault(path, Map.of()).get(name);
        return value == null ? Optional.empty() : Optional.of(value.clone());
    }

    @Override
    public synchronized List<String> llistxattr(Path path) {
        record("llistxattr " + path, "llistxattr", path.toString());
        return List.copyOf(xattrs.getOrDefault(path, Map.of()).keySet());
    }
}
