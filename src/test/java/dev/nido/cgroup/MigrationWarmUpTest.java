package dev.nido.cgroup;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MigrationWarmUpTest {
    @Test
    void hybridHostUsesTheTasksFileOfTheFirstV1HierarchyWithControllers() {
        CgroupLayout l = CgroupLayout.parse(CgroupLayoutTest.HYBRID);
        Path f = MigrationWarmUp.ownCgroupFile(l, List.of(
                "9:name=systemd:/user.slice", "4:memory:/user.slice/session-1.scope", "3:cpu:/user.slice", "0::/"));
        assertThat(f).isEqualTo(Path.of("/sys/fs/cgroup/cpu/user.slice/tasks"));
    }

    @Test
    void pureV2UsesCgroupThreads() {
        CgroupLayout l = CgroupLayout.parse(List.of(
                "30 23 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate"));
        Path f = MigrationWarmUp.ownCgroupFile(l, List.of("0::/user.slice/user-0.slice/session-3.scope"));
        assertThat(f).isEqualTo(Path.of("/sys/fs/cgroup/user.slice/user-0.slice/session-3.scope/cgroup.threads"));
    }

    @Test
    void noMatchingHierarchyMeansNoWarmUp() {
        CgroupLayout l = CgroupLayout.parse(CgroupLayoutTest.HYBRID);
        assertThat(MigrationWarmUp.ownCgroupFile(l, List.of("12:hugetlb:/"))).isNull();
        assertThat(MigrationWarmUp.ownCgroupFile(new CgroupLayout(List.of()), List.of("0::/"))).isNull();
    }
}
