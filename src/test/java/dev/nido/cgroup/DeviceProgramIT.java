package dev.nido.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nido.cgroup.v2.Bpf;
import dev.nido.cgroup.v2.DeviceProgram;
import dev.nido.linux.LinuxException;
import dev.nido.linux.Syscalls;
import dev.nido.oci.DeviceCgroup;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The v2 device program on the real kernel (root): attached to a fresh cgroup2 directory, it
 * decides what a shell inside that cgroup may open. Only the v2 hierarchy is used, so the program
 * is the only device policy in play even on a hybrid host whose v1 devices controller is in charge.
 */
class DeviceProgramIT {
    private static final List<DeviceCgroup> RULES = List.of(
            new DeviceCgroup(false, "a", null, null, "rwm"),
            new DeviceCgroup(true, "c", 1L, 3L, "rwm"),   // /dev/null
            new DeviceCgroup(true, "c", 1L, 5L, "r"));    // /dev/zero, read only

    private final Syscalls sys = Syscalls.real();
    private final String name = "nidobpf-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<Process> processes = new ArrayList<>();
    private ContainerCgroup cg;
    private List<Path> created = List.of();

    @BeforeEach
    void create() {
        CgroupLayout host = CgroupLayout.detect();
        Assumptions.assumeTrue(host.v2().isPresent(), "no cgroup2 mount on this host");
        // Only the cgroup2 hierarchy: the v1 ones (if any) are left alone.
        CgroupLayout v2Only = new CgroupLayout(List.of(host.v2().get()));
        cg = ContainerCgroup.of(sys, v2Only, "/" + name);
        created = cg.create();
    }

    @AfterEach
    void cleanUp() {
        processes.forEach(Process::destroyForcibly);
        if (cg != null) {
            cg.remove(created);
            for (Path p : created) {
                assertThat(p).doesNotExist();
            }
        }
    }

    @Test
    void programDecidesWhatAProcessInTheCgroupMayOpen() throws Exception {
        assertThat(cg.applyDevicePolicy(RULES)).as("no v1 devices in this layout: the program is attached").isTrue();
        Path dir = cg.dirOf("cgroup");
        String script = String.join("\n",
                "echo $$ > " + dir.resolve("cgroup.procs") + " || exit 90",
                ": < /dev/null && echo read-null=ok",
                "echo x > /dev/null && echo write-null=ok",
                "head -c 4 /dev/zero | wc -c | sed 's/^ */read-zero=/'",
                "echo x > /dev/zero && echo write-zero=ok",
                ": < /dev/full && echo read-full=ok",
                "exit 0");
        Result r = sh(script);
        assertThat(r.exit).as("stderr: %s", r.err).isZero();
        assertThat(r.out).isEqualTo("read-null=ok\nwrite-null=ok\nread-zero=4\n");
        assertThat(r.err.lines().filter(l -> l.contains("Operation not permitted")).toList())
                .as("stderr: %s", r.err)
                .hasSize(2)
                .anySatisfy(l -> assertThat(l).contains("/dev/zero"))
                .anySatisfy(l -> assertThat(l).contains("/dev/full"));
    }

    @Test
    void theSameShellOutsideTheCgroupIsNotRestricted() throws Exception {
        cg.applyDevicePolicy(RULES);
        Result r = sh(": < /dev/full && echo read-full=ok");
        assertThat(r.out).isEqualTo("read-full=ok\n");
    }

    @Test
    void verifierRefusalCarriesTheLog() {
        // A program that never exits: the verifier refuses it and says why.
        byte[] bad = Bpf.encode(List.of(Bpf.movImm(Bpf.R0, 1)));
        assertThatThrownBy(() -> sys.loadCgroupDeviceProgram(bad, DeviceProgram.LICENSE))
                .isInstanceOf(LinuxException.class)
                .hasMessageStartingWith("bpf BPF_PROG_LOAD 1 insns: ")
                .hasMessageContaining("verifier log: ");
    }

    private record Result(int exit, String out, String err) {
    }

    private Result sh(String script) throws IOException, InterruptedException {
        Path shell = Files.isExecutable(Path.of("/bin/bash")) ? Path.of("/bin/bash") : Path.of("/bin/sh");
        Process p = new ProcessBuilder(shell.toString(), "-c", script).start();
        processes.add(p);
        p.getOutputStream().close();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("shell finished").isTrue();
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
