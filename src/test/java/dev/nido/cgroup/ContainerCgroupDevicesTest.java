package dev.nido.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nido.linux.Errno;
import dev.nido.linux.RecordingSyscalls;
import dev.nido.oci.DeviceCgroup;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which hosts get a v2 device program, and the exact calls that attach it. */
class ContainerCgroupDevicesTest {
    private static final List<DeviceCgroup> RULES = List.of(
            new DeviceCgroup(false, "a", null, null, "rwm"), new DeviceCgroup(true, "c", 1L, 3L, "rwm"));
    private static final Hierarchy V2 = new Hierarchy("unified", Path.of("/sys/fs/cgroup"), Set.of("memory", "pids"), true);
    private static final Hierarchy HYBRID_V2 =
            new Hierarchy("unified", Path.of("/sys/fs/cgroup/unified"), Set.of(), true);
    private static final Hierarchy V1_DEVICES =
            new Hierarchy("devices", Path.of("/sys/fs/cgroup/devices"), Set.of("devices"), false);

    private final RecordingSyscalls sys = new RecordingSyscalls();

    @Test
    void pureV2LoadsAttachesAndClosesTheProgram() {
        ContainerCgroup cg = ContainerCgroup.of(sys, new CgroupLayout(List.of(V2)), "/nido/c1");
        assertThat(cg.applyDevicePolicy(RULES)).isTrue();
        assertThat(sys.calls()).containsExactly(
                "loadCgroupDeviceProgram 13 insns Apache-2.0",
                "attachCgroupDeviceProgram fd 10 /sys/fs/cgroup/nido/c1",
                "close fd 10");
    }

    @Test
    void hybridWithoutV1DevicesUsesTheV2Directory() {
        ContainerCgroup cg = ContainerCgroup.of(sys, new CgroupLayout(List.of(
                new Hierarchy("memory", Path.of("/sys/fs/cgroup/memory"), Set.of("memory"), false), HYBRID_V2)), "/c2");
        assertThat(cg.applyDevicePolicy(RULES)).isTrue();
        assertThat(sys.calls()).contains("attachCgroupDeviceProgram fd 10 /sys/fs/cgroup/unified/c2");
    }

    @Test
    void v1DevicesStaysInChargeUnlessForced() {
        ContainerCgroup cg = ContainerCgroup.of(sys, new CgroupLayout(List.of(V1_DEVICES, HYBRID_V2)), "/c3");
        assertThat(cg.applyDevicePolicy(RULES)).isFalse();
        assertThat(sys.calls()).isEmpty();
        cg.attachDeviceProgram(RULES);
        assertThat(sys.calls()).containsExactly(
                "loadCgroupDeviceProgram 13 insns Apache-2.0",
                "attachCgroupDeviceProgram fd 10 /sys/fs/cgroup/unified/c3",
                "close fd 10");
    }

    @Test
    void nothingWithoutRulesOrWithoutV2() {
        assertThat(ContainerCgroup.of(sys, new CgroupLayout(List.of(V2)), "/c").applyDevicePolicy(List.of())).isFalse();
        assertThat(ContainerCgroup.of(sys, new CgroupLayout(List.of(
                new Hierarchy("memory", Path.of("/sys/fs/cgroup/memory"), Set.of("memory"), false))), "/c")
                .applyDevicePolicy(RULES)).isFalse();
        assertThat(sys.calls()).isEmpty();
    }

    @Test
    void attachFailureNamesTheDirectoryAndStillClosesTheProgram() {
        sys.failWhen("attachCgroupDeviceProgram", Errno.EPERM);
        ContainerCgroup cg = ContainerCgroup.of(sys, new CgroupLayout(List.of(V2)), "/c4");
        assertThatThrownBy(() -> cg.applyDevicePolicy(RULES))
                .isInstanceOf(CgroupException.class)
                .hasMessageStartingWith("linux.resources.devices: attach device program to /sys/fs/cgroup/c4: ");
        assertThat(sys.calls()).endsWith("close fd 10");
    }

    @Test
    void badRuleIsACgroupException() {
        ContainerCgroup cg = ContainerCgroup.of(sys, new CgroupLayout(List.of(V2)), "/c5");
        assertThatThrownBy(() -> cg.applyDevicePolicy(List.of(new DeviceCgroup(true, "x", 1L, 3L, "r"))))
                .isInstanceOf(CgroupException.class)
                .hasMessage("linux.resources.devices: device type must be a, b or c, got \"x\"");
        assertThat(sys.calls()).isEmpty();
    }
}
