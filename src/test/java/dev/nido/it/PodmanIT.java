package dev.nido.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * podman driving nido-runtime as its OCI runtime (through conmon), exactly as it drives crun or
 * runc: the proof that the command line is runc-compatible where it matters.
 */
class PodmanIT {
    final String tag = "nidopod-" + UUID.randomUUID().toString().substring(0, 8);
    Path dir;

    @BeforeEach
    void setUp() throws IOException {
        assertThat(Path.of("/usr/bin/podman")).as("podman is installed by scripts/install-deps.sh").exists();
        dir = Files.createTempDirectory("nido-podman-");
        Path rootfs = Sandbox.rootfs();
        Cli.Result r = Cli.raw(null, List.of("bash", "-c",
                "tar -C " + rootfs + " -c . | " + String.join(" ", podman()) + " import - localbb"));
        assertThat(r.code()).as(r.toString()).isZero();
    }

    @AfterEach
    void tearDown() throws IOException {
        List<String> rm = new ArrayList<>(podman());
        rm.addAll(List.of("rm", "-af", "-t", "0"));
        Cli.raw(null, rm);
        Cli.raw(null, List.of("bash", "-c", "umount -R " + dir + "/root/overlay 2>/dev/null; true"));
        Sandbox.deleteTree(dir);
        Sandbox.deleteTree(Path.of("/run", tag));
        for (Path h : Files.list(Path.of("/sys/fs/cgroup")).toList()) {
            Path cg = h.resolve(tag);
            if (Files.isDirectory(cg)) {
                Cli.raw(null, List.of("find", cg.toString(), "-depth", "-type", "d", "-exec", "rmdir", "{}", ";"));
            }
        }
    }

    List<String> podman() {
        return List.of("podman", "--root", dir + "/root", "--runroot", "/run/" + tag, "--tmpdir", "/run/" + tag + "/tmp",
                "--cgroup-manager", "cgroupfs", "--events-backend", "file", "--runtime", Cli.RUNTIME.toString());
    }

    Cli.Result podman(String... args) {
        List<String> cmd = new ArrayList<>(podman());
        cmd.addAll(List.of(args));
        return Cli.raw(null, cmd);
    }

    static final String[] RUN = {"run", "--network", "none", "--ulimit", "nofile=1024:1024", "--ulimit",
            "nproc=32768:32768"};

    String[] run(String... rest) {
        List<String> a = new ArrayList<>(List.of(RUN));
        a.addAll(List.of("--cgroup-parent", "/" + tag));
        a.addAll(List.of(rest));
        return a.toArray(String[]::new);
    }

    @Test
    void runRemoveAndExitStatus() {
        Cli.Result r = podman(run("--rm", "localbb", "/bin/sh", "-c", "echo hello from podman; hostname; exit 7"));
        assertThat(r.code()).as(r.toString()).isEqualTo(7);
        assertThat(r.out()).contains("hello from podman");
    }

    @Test
    void aMissingCommandIsExit127WithRuncsMessage() {
        Cli.Result r = podman(run("--rm", "localbb", "no-such-command"));
        assertThat(r.code()).as(r.toString()).isEqualTo(127);
        assertThat(r.err()).contains("executable file not found in $PATH");
    }

    @Test
    void detachedExecStopRemove() {
        Cli.Result d = podman(run("-d", "--name", "p1", "localbb", "sleep", "1000"));
        assertThat(d.code()).as(d.toString()).isZero();
        assertThat(podman("ps", "--format", "{{.Names}} {{.Status}}").out()).contains("p1 Up");
        Cli.Result e = podman("exec", "p1", "sh", "-c", "echo in=$(cat /proc/1/comm)");
        assertThat(e.code()).as(e.toString()).isZero();
        assertThat(e.out()).contains("in=sleep");
        assertThat(podman("stop", "-t", "1", "p1").code()).isZero();
        assertThat(podman("rm", "p1").code()).isZero();
        assertThat(podman("ps", "-a", "-q").out()).isBlank();
    }
}
