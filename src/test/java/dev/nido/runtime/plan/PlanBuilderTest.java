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

class PlanBuilderTest {
    @TempDir
    Path bundle;

    RuntimeSpec spec(String json) throws IOException {
        Files.createDirectories(bundle.resolve("rootfs"));
        Files.write(bundle.resolve("config.json"), SpecReader.write(DefaultSpec.create(false, 0, 0)));
        if (json != null) {
            Files.writeString(bundle.resolve("config.json"), json);
        }
        return SpecReader.read(bundle);
    }

    static LaunchOptions opts(boolean detach, Path fifo) {
        return new LaunchOptions(detach, fifo, false, -1, false, 40, List.of(), null, false, false);
    }

    @Test
    void defaultSpecCreatePlanIsInTheRightOrder() throws IOException {
        LaunchPlan p = PlanBuilder.container(spec(null), bundle, opts(true, Path.of("/run/nido/x/exec.fifo")));
        List<String> kinds = p.steps().stream().map(s -> s.getClass().getSimpleName()).toList();
        assertThat(kinds.subList(0, 4)).containsExactly("Mode", "Clone", "WaitGo", "SetHostname");
        assertThat(kinds).containsSubsequence("OpenFifo", "Rootfs", "Mount", "Mknod", "Symlink", "PivotRoot",
                "MaskPath", "ReadonlyPath", "RemountReadonly", "Rlimit", "Umask", "Chdir", "User",
                "NoNewPrivileges", "Ready", "WaitFifo", "Exec");
        assertThat(p.steps().get(0)).isEqualTo(new PlanStep.Mode(PlanStep.Mode.DETACH));
        // pid, network, ipc, uts, mount, cgroup
        assertThat(p.steps().get(1)).isEqualTo(new PlanStep.Clone(0x20000000L | 0x40000000L | 0x08000000L
                | 0x04000000L | 0x00020000L | 0x02000000L));
        assertThat(p.steps().getLast()).isEqualTo(new PlanStep.Exec("sh", List.of("sh"),
                List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm")));
    }

    @Test
    void mountsAreInRootWithCreatedTargets() throws IOException {
        LaunchPlan p = PlanBuilder.container(spec(null), bundle, opts(false, null));
        assertThat(p.toShell()).contains(
                "mount --make-rslave /",
                "mount --rbind " + bundle.resolve("rootfs") + " " + bundle.resolve("rootfs"),
                "mount -t proc proc $ROOTFS/proc",
                "mount -t tmpfs -o nosuid,strictatime,mode=755,size=65536k tmpfs $ROOTFS/dev",
                "mknod -m 666 $ROOTFS/dev/null c 1 3",
                "ln -s pts/ptmx $ROOTFS/dev/ptmx",
                "mount -o remount,bind,ro /");
        assertThat(p.steps()).noneMatch(s -> s instanceof PlanStep.OpenFifo || s instanceof PlanStep.WaitFifo);
        PlanStep.Mount proc = p.steps().stream().filter(s -> s instanceof PlanStep.Mount m && m.target().equals("/proc"))
                .map(PlanStep.Mount.class::cast).findFirst().orElseThrow();
        assertThat(proc.targetFlags()).isEqualTo(PlanStep.Mount.IN_ROOT | PlanStep.Mount.MKDIR);
    }

    @Test
    void namespacesWithAPathAreJoinedUserFirstMountLast() throws IOException {
        String json = Files.readString(writeDefault()).replace("\"type\": \"network\"",
                "\"type\": \"network\", \"path\": \"/run/netns/x\"").replace("\"type\": \"mount\"",
                "\"type\": \"mount\"");
        LaunchPlan p = PlanBuilder.container(spec(json), bundle, opts(false, null));
        assertThat(p.steps()).contains(new PlanStep.JoinNamespace(Namespace.NETWORK, "/run/netns/x"));
        PlanStep.Clone clone = (PlanStep.Clone) p.steps().stream().filter(s -> s instanceof PlanStep.Clone).findFirst()
                .orElseThrow();
        assertThat(clone.flags() & Namespace.NETWORK.cloneFlag()).isZero();
    }

    @Test
    void aNewUserNamespaceBindsDevicesAndBecomesRootFirst() throws IOException {
        String json = Files.readString(writeDefault()).replace("\"namespaces\": [",
                "\"uidMappings\": [{\"containerID\": 0, \"hostID\": 100000, \"size\": 65536}],"
                        + "\"gidMappings\": [{\"containerID\": 0, \"hostID\": 100000, \"size\": 65536}],"
                        + "\"namespaces\": [{\"type\": \"user\"},");
        LaunchPlan p = PlanBuilder.container(spec(json), bundle, opts(false, null));
        assertThat(p.steps().get(3)).isInstanceOf(PlanStep.User.class);
        assertThat(((PlanStep.User) p.steps().get(3)).uid()).isZero();
        assertThat(p.steps()).noneMatch(s -> s instanceof PlanStep.Mknod);
        assertThat(p.toShell()).contains("mount --bind /dev/null $ROOTFS/dev/null");
    }

    private Path writeDefault() throws IOException {
        Path f = bundle.resolve("config.json");
        Files.write(f, SpecReader.write(DefaultSpec.create(false, 0, 0)));
        return f;
    }
}
