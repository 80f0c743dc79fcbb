package dev.nido.linux;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
 * chown -h 1234:5678 /x
 * touch -h -d @1700000000.5 /x
 * mknod -m 0666 /dev/null c 1 3                  (p for a fifo, without numbers)
 * setfattr -h -n user.test -v hello /x           (binary values as 0x hex)
 * </pre>
 * Reads (including lgetxattr and llistxattr), waits, liveness checks and plain fd operations (pipe, read, write, close, opening a fifo
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

    /** {@code @SECONDS} or {@code @SECONDS.FRACTION} (trailing zeros dropped), as touch -d takes it. */
    static String touchTime(long seconds, int nanos) {
        if (nanos == 0) {
            return "@" + seconds;
        }
        String fraction = String.format("%09d", nanos).replaceFirst("0+$", "");
        return "@" + seconds + "." + fraction;
    }

    /** mknod(1)'s type letter for a mode: c, b or p. */
    static String nodeType(int mode) {
        return switch (mode & 0170000) {
            case Syscalls.S_IFCHR -> "c";
            case Syscalls.S_IFBLK -> "b";
            case Syscalls.S_IFIFO -> "p";
            default -> "?" + Integer.toOctalString(mode & 0170000);
        };
    }

    /**
     * A value as setfattr(1) takes it: printable ASCII as text (shell-quoted), anything else,
     * and text setfattr would read as an encoding ({@code 0x…}, {@code 0s…}, {@code "…"}), as
     * {@code 0x} hex.
     */
    static String xattrValue(byte[] value) {
        boolean text = value.length > 0 && value[0] != '"';
        for (byte b : value) {
            text &= b >= 0x20 && b < 0x7f;
        }
        if (text && value.length >= 2 && value[0] == '0') {
            int c = value[1] | 0x20;
            text = c != 'x' && c != 's';
        }
        if (text) {
            return ShellQuote.quote(new String(value, StandardCharsets.US_ASCII));
        }
        StringBuilder hex = new StringBuilder("0x");
        for (byte b : value) {
            hex.append(String.format("%02x", b & 0xff));
        }
        return hex.toString();
    }

    @Override
    public void mount(String source, Path target, String fstype, long flags, String data) {
        sink.accept("mount -t " + fstype + (data == null || data.isEmpty() ? "" : " -o " + ShellQuote.quote(data)) + " "
                + ShellQuote.quote(source) + " " + q(target));
        inner.mount(source, target, fstype, flags, data);
    }

    @Override
    public Fd openReadOnly(Path path) {
        return inner.openReadOnly(path);
    }

    @Override
    public Fd idmappedTree(Path source, Fd userns) {
        sink.accept("# open_tree " + q(source) + " (a detached copy) + mount_setattr MOUNT_ATTR_IDMAP with the"
                + " container's user namespace (mount --bind -o X-mount.idmap=...)");
        return inner.idmappedTree(source, userns);
    }

    @Override
    public void umount(Path target, int flags) {
        sink.accept("umount " + ((flags & 2) != 0 ? "--lazy " : "") + q(target));
        inner.umount(target, flags);
    }

    @Override
    public void lchown(Path path, int uid, int gid) {
        sink.accept("chown -h " + uid + ":" + gid + " " + q(path));
        inner.lchown(path, uid, gid);
    }

    @Override
    public void lutimens(Path path, long seconds, int nanos) {
        sink.accept("touch -h -d " + touchTime(seconds, nanos) + " " + q(path));
        inner.lutimens(path, seconds, nanos);
    }

    @Override
    public void mknod(Path path, int mode, int major, int minor) {
        String type = nodeType(mode);
        String numbers = "p".equals(type) ? "" : " " + major + " " + minor;
        sink.accept("mknod -m " + octal(mode & 07777) + " " + q(path) + " " + type + numbers);
        inner.mknod(path, mode, major, minor);
    }

    @Override
    public void lsetxattr(Path path, String name, byte[] value) {
        sink.accept("setfattr -h -n " + ShellQuote.quote(name) + " -v " + xattrValue(value) + " " + q(path));
        inner.lsetxattr(path, name, value);
    }

    @Override
    public Optional<byte[]> lgetxattr(Path path, String name) {
        return inner.lgetxattr(path, name);
    }

    @Override
    public List<String> llistxattr(Path path) {
        return inner.llistxattr(path);
    }
}
