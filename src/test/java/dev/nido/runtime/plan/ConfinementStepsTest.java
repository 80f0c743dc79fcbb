package dev.nido.runtime.plan;

import dev.nido.oci.DefaultSpec;
import dev.nido.oci.RuntimeSpec;
import dev.nido.oci.SpecReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Where the seccomp filter and the LSM labels go in container and exec plans. */
class ConfinementStepsTest {
    private static final byte[] FILTER = {6, 0, 0, 0, 0, 0, (byte) 0xff, 0x7f}; // ret ALLOW

    @TempDir
    Path bundle;

    private RuntimeSpec spec(boolean nnp, String extraProcess, String extraLinux) throws IOException {
        Files.createDirectories(bundle.resolve("rootfs"));
        String json = new String(SpecReader.write(DefaultSpec.create(false, 0, 0)))
                .replaceFirst("\"noNewPrivileges\": true", "\"noNewPrivileges\": " + nnp + extraProcess)
                .replaceFirst("\"maskedPaths\"", extraLinux + "\"maskedPaths\"");
        Files.writeString(bundle.resolve("config.json"), json);
        return SpecReader.read(bundle);
    }

    private static LaunchOptions opts() {
        return new LaunchOptions(true, Path.of("/run/nido/x/exec.fifo"), false, -1, false, 40, List.of(),
                new SeccompLoad(FILTER, 2, null, "\"\""), false, false);
    }

    private static List<String> kinds(LaunchPlan p) {
        return p.steps().stream().map(s -> s.getClass().getSimpleName()).toList();
    }

    @Test
    void withNoNewPrivilegesTheFilterIsTheLastStepBeforeExec() throws IOException {
        List<String> k = kinds(PlanBuilder.container(spec(true, "", ""), bundle, opts()));
        assertThat(k.subList(k.size() - 2, k.size())).containsExactly("Seccomp", "Exec");
        assertThat(k).containsSubsequence("User", "NoNewPrivileges", "FindExec", "Ready", "WaitFifo", "Seccomp");
    }

    @Test
    void withoutNoNewPrivilegesTheFilterGoesInWhileCapSysAdminIsHeld() throws IOException {
        LaunchPlan p = PlanBuilder.container(spec(false, "", ""), bundle, opts());
        List<String> k = kinds(p);
        assertThat(k).containsSubsequence("Chdir", "Seccomp", "User", "FindExec", "Ready", "WaitFifo", "Exec");
        assertThat(k).doesNotContain("NoNewPrivileges");
        assertThat(p.steps()).contains(new PlanStep.Seccomp(2, FILTER));
    }

    @Test
    void execPlansLoadTheFilterToo() throws IOException {
        var process = spec(true, "", "").process();
        List<String> k = kinds(ExecPlanBuilder.build(1, List.of(), process, opts()));
        assertThat(k.subList(k.size() - 2, k.size())).containsExactly("Seccomp", "Exec");
    }

    @Test
    void labelsAreSetForTheNextExecAfterTheHooks() throws IOException {
        LaunchPlan p = PlanBuilder.container(spec(true,
                ", \"apparmorProfile\": \"nido-default\", \"selinuxLabel\": \"system_u:system_r:container_t:s0\"",
                ""), bundle, opts());
        assertThat(p.steps()).containsSubsequence(new PlanStep.WaitFifo(),
                new PlanStep.WriteFile("/proc/self/attr/apparmor/exec", "exec nido-default", true),
                new PlanStep.WriteFile("/proc/self/attr/exec", "system_u:system_r:container_t:s0", true));
    }

    @Test
    void theMountLabelGoesOnFileSystemsMadeForTheContainer() throws IOException {
        LaunchPlan p = PlanBuilder.container(spec(true, "", "\"mountLabel\": \"system_u:object_r:container_file_t:s0\", "),
                bundle, opts());
        assertThat(p.toShell()).anyMatch(l -> l.startsWith("mount -t tmpfs -o")
                && l.contains("context=\"system_u:object_r:container_file_t:s0\""));
        assertThat(p.toShell()).noneMatch(l -> l.startsWith("mount -t proc") && l.contains("context="));
    }
}
