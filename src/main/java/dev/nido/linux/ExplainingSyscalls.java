package dev.nido.linux;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * {@code --explain}: before each call that changes something outside the JVM, sends the shell
 * command that would do the same to {@code sink}, then performs the call through {@code inner}.
 * Because it wraps the real calls it cannot drift from what nido does. Lines:
 * <pre>
 * mkdir -m 0755 /x
 * rmdir /x
 * rm /x
 * echo 42 &gt; /sys/fs/cgroup/pids/a/cgroup.procs
 * printf %s '0 0 1
 * ' &gt; /proc/42/uid_map                               (content with newlines, byte for byte)
 * mkfifo -m 0622 /run/nido/x/exec.fifo
 * kill -TERM 1234
 * env -i PATH=/bin /proc/self/fd/7 create 3&lt;&amp;10 &amp;  # argv[0]=nido-shim   (comment only when argv[0] differs)
 * # memfd nido-shim: sealed copy of 12345 bytes
 * bpftool prog load &lt;9 insns&gt; type cgroup/dev                 (the program is generated, not a file)
 * bpftool cgroup attach /sys/fs/cgroup/a device &lt;fd 12&gt; multi
 * </pre>
 * Reads, waits, liveness checks and plain fd operations (pipe, read, write, close, opening a fifo
 * or a socket) print nothing.
 */
public final class ExplainingSyscalls implements Syscalls {
    private final Syscalls inner;
    private final java.util.Set<Integer> writeEnds = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Consumer<String> sink;

    public ExplainingSyscalls(Syscalls inner, Consumer<String> sink) {
        this.inner = Objects.requireNonNull(inner, "inner");
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    private static String q(Path path) {
        return ShellQuote.quote(path.toString());
    }

    private static String octal(int mode) {
        return String.format("%04o", mode);
    }

    /** The shell command equivalent to {@link #writeFile}. */
    static String writeFileCommand(Path path, String content) {
        if (content.indexOf('\n') < 0) {
            return "echo " + ShellQuote.quote(content) + " > " + q(path);
        }
        return "printf %s " + ShellQuote.quote(content) + " > " + q(path);
    }

    /** The shell command equivalent to {@link #spawn}, run in the background. */
    static String spawnCommand(String path, List<String> argv, List<String> env, Map<Integer, Fd> fds) {
        return spawnCommand(path, argv, env, fds, java.util.Set.of());
    }

    /** As above; fds in {@code writeEnds} are redirected as outputs ({@code N>&M}). */
    static String spawnCommand(String path, List<String> argv, List<String> env, Map<Integer, Fd> fds,
                               java.util.Set<Integer> writeEnds) {
        List<String> words = new ArrayList<>();
        words.add("env");
        words.add("-i");
        words.addAll(env);
        words.add(path);
        words.addAll(argv.isEmpty() ? List.of() : argv.subList(1, argv.size()));
        StringBuilder line = new StringBuilder(ShellQuote.join(words));
        new TreeMap<>(fds).forEach((target, source) ->
                line.append(' ').append(target).append(writeEnds.contains(source.value()) ? ">&" : "<&")
                        .append(source.value()));
        line.append(" &");
        if (!argv.isEmpty() && !argv.getFirst().equals(path)) {
            // A shell cannot portably set argv[0] for env's child, so say it.
            line.append("  # argv[0]=").append(ShellQuote.quote(argv.getFirst()));
        }
        return line.toString();
    }

    @Override
    public Pipe pipe() {
        Pipe p = inner.pipe();
        writeEnds.add(p.writeEnd().value()); // so that a spawn line redirects it as an output
        return p;
    }

    @Override
    public int read(Fd fd, byte[] buf, int off, int len) {
        return inner.read(fd, buf, off, len);
    }

    @Override
    public void writeAll(Fd fd, byte[] buf, int off, int len) {
        inner.writeAll(fd, buf, off, len);
    }

    @Override
    public void close(Fd fd) {
        inner.close(fd);
    }

    @Override
    public Fd sealedMemfd(String name, byte[] content) {
        sink.accept("# memfd " + name + ": sealed copy of " + content.length + " bytes");
        return inner.sealedMemfd(name, content);
    }

    @Override
    public int spawn(String path, List<String> argv, List<String> env, Map<Integer, Fd> fds) {
        sink.accept(spawnCommand(path, argv, env, fds, writeEnds));
        return inner.spawn(path, argv, env, fds);
    }

    @Override
    public int waitpid(int pid) {
        return inner.waitpid(pid);
    }

    @Override
    public void kill(int pid, int signal) {
        sink.accept("kill -" + Signals.nameOrNumber(signal) + " " + pid);
        inner.kill(pid, signal);
    }

    @Override
    public boolean alive(int pid) {
        return inner.alive(pid);
    }

    @Override
    public void mkfifo(Path path, int mode) {
        sink.accept("mkfifo -m " + octal(mode) + " " + q(path));
        inner.mkfifo(path, mode);
    }

    @Override
    public Fd openFifoWriter(Path path) {
        return inner.openFifoWriter(path);
    }

    @Override
    public Fd connectUnix(Path path) {
        return inner.connectUnix(path);
    }

    @Override
    public boolean mkdir(Path path, int mode) {
        sink.accept("mkdir -m " + octal(mode) + " " + q(path));
        return inner.mkdir(path, mode);
    }

    @Override
    public void rmdir(Path path) {
        sink.accept("rmdir " + q(path));
        inner.rmdir(path);
    }

    @Override
    public boolean unlink(Path path) {
        sink.accept("rm " + q(path));
        return inner.unlink(path);
    }

    @Override
    public void writeFile(Path path, String content) {
        sink.accept(writeFileCommand(path, content));
        inner.writeFile(path, content);
    }

    @Override
    public Fd loadCgroupDeviceProgram(byte[] insns, String license) {
        sink.accept("bpftool prog load <" + insns.length / 8 + " insns> type cgroup/dev");
        return inner.loadCgroupDeviceProgram(insns, license);
    }

    @Override
    public void attachCgroupDeviceProgram(Fd prog, Path cgroupDir) {
        sink.accept("bpftool cgroup attach " + q(cgroupDir) + " device <" + prog + "> multi");
        inner.attachCgroupDeviceProgram(prog, cgroupDir);
    }
}
