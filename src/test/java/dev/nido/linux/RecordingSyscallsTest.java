package dev.nido.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordingSyscallsTest {
    private final RecordingSyscalls sys = new RecordingSyscalls();

    @Test
    void recordsEachCallAsOneLine() {
        Pipe pipe = sys.pipe();
        Fd memfd = sys.sealedMemfd("nido-shim", new byte[12345]);
        int pid = sys.spawn("/proc/self/fd/" + memfd.value(), List.of("nido-shim", "id"), List.of("A=1"),
                Map.of(4, pipe.writeEnd(), 3, pipe.readEnd()));
        sys.mkdir(Path.of("/x"), 0755);
        sys.writeFile(Path.of("/sys/fs/cgroup/pids/a/cgroup.procs"), Integer.toString(pid));
        sys.writeFile(Path.of("/proc/1000/uid_map"), "0 0 1\n");
        sys.mkfifo(Path.of("/run/nido/x/exec.fifo"), 0622);
        sys.openFifoWriter(Path.of("/run/nido/x/exec.fifo"));
        sys.connectUnix(Path.of("/run/x/console.sock"));
        sys.kill(pid, Signals.TERM);
        sys.alive(pid);
        sys.waitpid(pid);
        sys.writeAll(pipe.writeEnd(), "hello".getBytes(StandardCharsets.UTF_8), 0, 5);
        sys.read(pipe.readEnd(), new byte[16], 0, 16);
        sys.close(pipe.readEnd());
        sys.unlink(Path.of("/run/nido/x/exec.fifo"));
        sys.rmdir(Path.of("/x"));

        assertThat(sys.calls()).containsExactly(
                "pipe",
                "sealedMemfd nido-shim 12345",
                "spawn /proc/self/fd/12 [nido-shim, id] fds {3=fd 10, 4=fd 11}",
                "mkdir /x 0755",
                "writeFile /sys/fs/cgroup/pids/a/cgroup.procs 1000",
                "writeFile /proc/1000/uid_map 0 0 1\\n",
                "mkfifo /run/nido/x/exec.fifo 0622",
                "openFifoWriter /run/nido/x/exec.fifo",
                "connectUnix /run/x/console.sock",
                "kill 1000 TERM",
                "alive 1000",
                "waitpid 1000",
                "writeAll fd 11 5",
                "read fd 10 16",
                "close fd 10",
                "unlink /run/nido/x/exec.fifo",
                "rmdir /x");
    }

    @Test
    void countsFdsAndPidsAndKeepsSpawnDetails() {
        assertThat(sys.pipe()).isEqualTo(new Pipe(new Fd(10), new Fd(11)));
        assertThat(sys.spawn("/bin/a", List.of("a"), List.of("X=1"), Map.of())).isEqualTo(1000);
        assertThat(sys.spawn("/bin/b", List.of("b"), List.of(), Map.of())).isEqualTo(1001);
        assertThat(sys.connectUnix(Path.of("/s"))).isEqualTo(new Fd(12));
        assertThat(sys.spawns()).extracting(RecordingSyscalls.Spawned::env)
                .containsExactly(List.of("X=1"), List.of());
    }

    @Test
    void modelsFilesDirectoriesAndFifos() {
        assertThat(sys.mkdir(Path.of("/a"), 0700)).isTrue();
        assertThat(sys.mkdir(Path.of("/a"), 0700)).isFalse();
        sys.rmdir(Path.of("/a"));
        assertThat(sys.mkdir(Path.of("/a"), 0700)).isTrue();

        sys.writeFile(Path.of("/f"), "1");
        sys.writeFile(Path.of("/f"), "2");
        assertThat(sys.file(Path.of("/f"))).hasValue("2");
        assertThat(sys.files()).containsOnlyKeys(Path.of("/f"));
        assertThat(sys.unlink(Path.of("/f"))).isTrue();
        assertThat(sys.unlink(Path.of("/f"))).isFalse();

        sys.mkfifo(Path.of("/p"), 0600);
        assertThat(sys.unlink(Path.of("/p"))).isTrue();
    }

    @Test
    void answersAsConfigured() {
        assertThat(sys.alive(5)).isTrue();
        assertThat(sys.waitpid(5)).isZero();
        sys.setAlive(false).setWaitStatus(3 << 8);
        assertThat(sys.alive(5)).isFalse();
        assertThat(WaitStatus.exitCode(sys.waitpid(5))).isEqualTo(3);
    }

    @Test
    void readsStagedBytesThenEndOfFile() {
        Fd fd = new Fd(3);
        sys.stageRead(fd, "hello".getBytes(StandardCharsets.UTF_8));
        byte[] buf = new byte[8];
        assertThat(sys.read(fd, buf, 0, 3)).isEqualTo(3);
        assertThat(sys.read(fd, buf, 3, 5)).isEqualTo(2);
        assertThat(new String(buf, 0, 5, StandardCharsets.UTF_8)).isEqualTo("hello");
        assertThat(sys.read(fd, buf, 0, 8)).isZero();
    }

    @Test
    void keepsWhatWasWrittenPerFd() {
        Fd fd = new Fd(4);
        sys.writeAll(fd, "xhey".getBytes(StandardCharsets.UTF_8), 1, 2);
        sys.writeAll(fd, "y".getBytes(StandardCharsets.UTF_8), 0, 1);
        assertThat(sys.writtenText(fd)).isEqualTo("hey");
        assertThat(sys.written(new Fd(5))).isEmpty();
    }

    @Test
    void failsOnRequestAfterRecording() {
        sys.failWhen("mkdir /sys/fs/cgroup", Errno.EACCES);
        assertThat(sys.mkdir(Path.of("/run/x"), 0755)).isTrue();
        assertThatThrownBy(() -> sys.mkdir(Path.of("/sys/fs/cgroup/pids/x"), 0755))
                .isInstanceOf(LinuxException.class)
                .hasMessage("mkdir /sys/fs/cgroup/pids/x: permission denied (EACCES)");
        assertThat(sys.calls()).containsExactly("mkdir /run/x 0755", "mkdir /sys/fs/cgroup/pids/x 0755");
    }
}
