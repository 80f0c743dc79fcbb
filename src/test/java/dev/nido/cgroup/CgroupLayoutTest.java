package dev.nido.cgroup;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CgroupLayoutTest {
    static final List<String> HYBRID = List.of(
            "22 1 254:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw",
            "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755",
            "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu",
            "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory",
            "39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids",
            "40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd",
            "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw");

    @Test
    void hybridHostHasV1ControllersAndAUnifiedMount() {
        CgroupLayout l = CgroupLayout.parse(HYBRID);
        assertThat(l.kind()).isEqualTo(CgroupLayout.Kind.HYBRID);
        assertThat(l.hierarchies()).extracting(Hierarchy::name)
                .containsExactly("cpu", "memory", "pids", "systemd", "unified");
        assertThat(l.hierarchies().get(1).controllers()).containsExactly("memory");
        assertThat(l.v1()).hasSize(4);
    }

    @Test
    void pureV2() {
        CgroupLayout l = CgroupLayout.parse(List.of(
                "30 23 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate"));
        assertThat(l.kind()).isEqualTo(CgroupLayout.Kind.V2);
        assertThat(l.hierarchies().getFirst().mountPoint()).isEqualTo(Path.of("/sys/fs/cgroup"));
    }

    @Test
    void cgroupPathsAreResolvedUnderEveryHierarchy() {
        ContainerCgroup cg = ContainerCgroup.of(null, CgroupLayout.parse(HYBRID), "/nido/box");
        assertThat(cg.path()).isEqualTo("/nido/box");
        assertThat(cg.dirs()).contains(Path.of("/sys/fs/cgroup/memory/nido/box"),
                Path.of("/sys/fs/cgroup/unified/nido/box"));
        assertThat(ContainerCgroup.of(null, CgroupLayout.parse(HYBRID), "rel/x").path()).isEqualTo("/rel/x");
    }

    @Test
    void cgroupPathsThatEscapeOrUseSystemdSyntaxAreRefused() {
        CgroupLayout l = CgroupLayout.parse(HYBRID);
        assertThatThrownBy(() -> ContainerCgroup.of(null, l, "/../../etc")).hasMessageContaining("linux.cgroupsPath");
        assertThatThrownBy(() -> ContainerCgroup.of(null, l, "system.slice:nido:box"))
                .hasMessageContaining("--systemd-cgroup");
        assertThatThrownBy(() -> ContainerCgroup.of(null, l, "/")).hasMessageContaining("linux.cgroupsPath");
    }
}
