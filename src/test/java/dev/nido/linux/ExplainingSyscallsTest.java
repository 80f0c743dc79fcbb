package dev.nido.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExplainingSyscallsTest {
    private final RecordingSyscalls inner = new RecordingSyscalls();
    private final List<String> lines = new ArrayList<>();
    private final ExplainingSyscalls sys = new ExplainingSyscalls(inner, lines::add);

    @Test
    void printsEachEffectAsAShellCommand() {
        sys.mkdir(Path.of("/x"), 0755);
        sys.writeFile(Path.of("/sys/fs/cgroup/pids/a/cgroup.procs"), "42");
        sys.writeFile(Path.of("/proc/42/uid_map"), "0 1000 1\n");
        sys.writeFile(Path.of("/tmp/my dir/f"), "a b");
        sys.mkfifo(Path.of("/run/nido/x/exec.fifo"), 0622);
        sys.kill(1234, Signals.TERM);
        sys.kill(1234, 37);
        sys.unlink(Path.of("/path"));
        sys.rmdir(Path.of("/x"));
        sys.sealedMemfd("nido-shim", new byte[7]);
        sys.spawn("/usr/bin/nido-shim", List.of("/usr/bin/nido-shim", "create", "my box"), List.of("PATH=/bin"),
                Map.of(4, new Fd(11), 3, new Fd(10)));
        sys.spawn("/proc/self/fd/7", List.of("nido-shim", "id"), List.of(), Map.of());

        assertThat(lines).containsExactly(
                "mkdir -m 0755 /x",
                "echo 42 > /sys/fs/cgroup/pids/a/cgroup.procs",
                "printf %s '0 1000 1\n' > /proc/42/uid_map",
                "echo 'a b' > '/tmp/my dir/f'",
                "mkfifo -m 0622 /run/nido/x/exec.fifo",
                "kill -TERM 1234",
                "kill -RTMIN+3 1234",
                "rm /path",
                "rmdir /x",
                "# memfd nido-shim: sealed copy of 7 bytes",
                "env -i PATH=/bin /usr/bin/nido-shim create 'my box' 3<&10 4<&11 &",
                "env -i /proc/self/fd/7 id &  # argv[0]=nido-shim");
    }

    @Test
    void performsEveryCallThroughInner() {
        sys.mkdir(Path.of("/x"), 0755);
        sys.writeFile(Path.of("/f"), "1");
        sys.kill(7, Signals.KILL);
        assertThat(inner.calls()).containsExactly("mkdir /x 0755", "writeFile /f 1", "kill 7 KILL");
        assertThat(inner.file(Path.of("/f"))).hasValue("1");
    }

    @Test
    void readsAndFdOperationsPrintNothing() {
        Pipe pipe = sys.pipe();
        sys.read(pipe.readEnd(), new byte[4], 0, 4);
        sys.writeAll(pipe.writeEnd(), new byte[4], 0, 4);
        sys.close(pipe.readEnd());
        sys.alive(5);
        sys.waitpid(5);
        sys.openFifoWriter(Path.of("/fifo"));
        sys.connectUnix(Path.of("/sock"));
        assertThat(lines).isEmpty();
        assertThat(inner.calls()).hasSize(8);
    }

    @Test
    void printsBeforeTheCallSoAFailureFollowsItsCommand() {
        inner.failWhen("rmdir", Errno.EBUSY);
        assertThatThrownBy(() -> sys.rmdir(Path.of("/sys/fs/cgroup/x"))).isInstanceOf(LinuxException.class);
        assertThat(lines).containsExactly("rmdir /sys/fs/cgroup/x");
    }
}
