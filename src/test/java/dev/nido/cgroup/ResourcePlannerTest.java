package dev.nido.cgroup;

import dev.nido.cgroup.v2.CpuV2;
import dev.nido.cgroup.v2.IoV2;
import dev.nido.oci.BlockIO;
import dev.nido.oci.Cpu;
import dev.nido.oci.DeviceCgroup;
import dev.nido.oci.HugepageLimit;
import dev.nido.oci.InterfacePriority;
import dev.nido.oci.Memory;
import dev.nido.oci.Network;
import dev.nido.oci.Pids;
import dev.nido.oci.Resources;
import dev.nido.oci.ThrottleDevice;
import dev.nido.oci.WeightDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The exact cgroup files and values planned for linux.resources, on fake v1/hybrid and v2 trees. */
class ResourcePlannerTest {
    @TempDir
    Path tmp;

    static Resources resources(Memory m, Cpu c) {
        return new Resources(List.of(), m, c, null, null, List.of(), null, Map.of(), Map.of());
    }

    static Memory memory(Long limit, Long reservation, Long swap) {
        return new Memory(limit, reservation, swap, null, null, null, null, null, null);
    }

    static Cpu cpu(Long shares, Long quota, Long period) {
        return new Cpu(shares, quota, null, period, null, null, null, null, null);
    }

    static Resources full(boolean v1Only) {
        return new Resources(
                List.of(new DeviceCgroup(false, "a", null, null, "rwm"), new DeviceCgroup(true, "c", 1L, 3L, "rwm"),
                        new DeviceCgroup(true, "b", null, null, "m")),
                new Memory(52428800L, 10485760L, 104857600L, null, null, v1Only ? 10L : null, v1Only ? true : null,
                        null, null),
                new Cpu(512L, 50000L, null, 100000L, null, null, "0", "0", null),
                new Pids(10L),
                new BlockIO(300, null, List.of(new WeightDevice(8L, 0L, 200, null)),
                        List.of(new ThrottleDevice(8L, 0L, 1048576L)), List.of(), List.of(),
                        List.of(new ThrottleDevice(8L, 16L, 100L))),
                List.of(new HugepageLimit("2MB", 4194304L)),
                v1Only ? new Network(0x100001L, List.of(new InterfacePriority("eth0", 5L))) : null,
                Map.of(),
                Map.of("hugetlb.1GB.max", "0"));
    }

    @Test
    void hybridHostWritesV1FilesAndHugetlbToTheUnifiedMount() {
        FakeCgroupTree t = FakeCgroupTree.hybrid(tmp);
        List<CgroupWrite> w = ResourcePlanner.plan(t.layout, t.facts(), full(true));
        assertThat(w).containsExactly(
                new CgroupWrite("cpuset", "cpuset.cpus", "0"),
                new CgroupWrite("cpuset", "cpuset.mems", "0"),
                new CgroupWrite("devices", "devices.deny", "a"),
                new CgroupWrite("devices", "devices.allow", "c 1:3 rwm"),
                new CgroupWrite("devices", "devices.allow", "b *:* m"),
                new CgroupWrite("memory", "memory.limit_in_bytes", "52428800"),
                new CgroupWrite("memory", "memory.memsw.limit_in_bytes", "104857600"),
                new CgroupWrite("memory", "memory.soft_limit_in_bytes", "10485760"),
                new CgroupWrite("memory", "memory.swappiness", "10"),
                new CgroupWrite("memory", "memory.oom_control", "1"),
                new CgroupWrite("cpu", "cpu.shares", "512"),
                new CgroupWrite("cpu", "cpu.cfs_period_us", "100000"),
                new CgroupWrite("cpu", "cpu.cfs_quota_us", "50000"),
                new CgroupWrite("pids", "pids.max", "10"),
                new CgroupWrite("blkio", "blkio.weight", "300"),
                new CgroupWrite("blkio", "blkio.weight_device", "8:0 200"),
                new CgroupWrite("blkio", "blkio.throttle.read_bps_device", "8:0 1048576"),
                new CgroupWrite("blkio", "blkio.throttle.write_iops_device", "8:16 100"),
                new CgroupWrite("hugetlb", "hugetlb.2MB.max", "4194304"),
                new CgroupWrite("net_cls", "net_cls.classid", "1048577"),
                new CgroupWrite("net_prio", "net_prio.ifpriomap", "eth0 5"),
                new CgroupWrite("hugetlb", "hugetlb.1GB.max", "0"));
        assertThat(t.layout.controllerHome("hugetlb")).contains("v2");
        assertThat(t.layout.controllerHome("memory")).contains("v1");
        assertThat(t.layout.controllerHome("rdma")).isEmpty();
    }

    @Test
    void pureV2HostTranslatesSharesSwapAndBlkioAndPlansNoDeviceFiles() {
        FakeCgroupTree t = FakeCgroupTree.v2(tmp);
        List<CgroupWrite> w = ResourcePlanner.plan(t.layout, t.facts(), full(false));
        assertThat(w).containsExactly(
                new CgroupWrite("cpuset", "cpuset.cpus", "0"),
                new CgroupWrite("cpuset", "cpuset.mems", "0"),
                new CgroupWrite("memory", "memory.max", "52428800"),
                new CgroupWrite("memory", "memory.swap.max", "52428800"),
                new CgroupWrite("memory", "memory.low", "10485760"),
                new CgroupWrite("cpu", "cpu.weight", "20"),
                new CgroupWrite("cpu", "cpu.max", "50000 100000"),
                new CgroupWrite("pids", "pids.max", "10"),
                new CgroupWrite("io", "io.weight", "default 2930"),
                new CgroupWrite("io", "io.weight", "8:0 1920"),
                new CgroupWrite("io", "io.max", "8:0 rbps=1048576"),
                new CgroupWrite("io", "io.max", "8:16 wiops=100"),
                new CgroupWrite("hugetlb", "hugetlb.2MB.max", "4194304"),
                new CgroupWrite("hugetlb", "hugetlb.1GB.max", "0"));
    }

    @Test
    void sharesToWeightIsRuncsFormula() {
        assertThat(CpuV2.weight(2)).isEqualTo(1);
        assertThat(CpuV2.weight(1024)).isEqualTo(39);
        assertThat(CpuV2.weight(512)).isEqualTo(20);
        assertThat(CpuV2.weight(262144)).isEqualTo(10000);
        assertThat(IoV2.weight(10)).isEqualTo(1);
        assertThat(IoV2.weight(1000)).isEqualTo(10000);
    }

    @Test
    void quotaAndPeriodBecomeCpuMaxOnV2AndTwoFilesPeriodFirstOnV1() {
        assertThat(CpuV2.max(50000L, null)).contains("50000 100000");
        assertThat(CpuV2.max(-1L, 20000L)).contains("max 20000");
        assertThat(CpuV2.max(0L, 20000L)).contains("max 20000");
        assertThat(CpuV2.max(null, null)).isEmpty();
        FakeCgroupTree t = FakeCgroupTree.hybrid(tmp);
        assertThat(ResourcePlanner.plan(t.layout, t.facts(), resources(null, cpu(null, -1L, 20000L)))).containsExactly(
                new CgroupWrite("cpu", "cpu.cfs_period_us", "20000"), new CgroupWrite("cpu", "cpu.cfs_quota_us", "-1"));
    }

    @Test
    void swapIsMemoryPlusSwapOnV1AndSwapAloneOnV2() {
        FakeCgroupTree v2 = FakeCgroupTree.v2(tmp.resolve("v2"));
        assertThat(ResourcePlanner.plan(v2.layout, v2.facts(), resources(memory(100L << 20, null, -1L), null)))
                .containsExactly(new CgroupWrite("memory", "memory.max", "104857600"),
                        new CgroupWrite("memory", "memory.swap.max", "max"));
        assertThat(ResourcePlanner.plan(v2.layout, v2.facts(), resources(memory(-1L, null, null), null)))
                .containsExactly(new CgroupWrite("memory", "memory.max", "max"),
                        new CgroupWrite("memory", "memory.swap.max", "max"));
        assertThat(problems(v2, resources(memory(null, null, 1L << 30), null))).containsExactly(
                "linux.resources.memory.swap: a swap limit needs a memory limit on cgroup v2 (swap is memory+swap; "
                        + "set linux.resources.memory.limit too)");
        FakeCgroupTree v1 = FakeCgroupTree.hybrid(tmp.resolve("v1"));
        assertThat(ResourcePlanner.plan(v1.layout, v1.facts(), resources(memory(-1L, null, null), null)))
                .containsExactly(new CgroupWrite("memory", "memory.limit_in_bytes", "-1"),
                        new CgroupWrite("memory", "memory.memsw.limit_in_bytes", "-1"));
    }

    @Test
    void swapWithoutSwapAccountingIsAnErrorNamingTheField() {
        FakeCgroupTree t = FakeCgroupTree.hybrid(tmp);
        FakeCgroupTree.write(tmp.resolve("memory/memory.memsw.limit_in_bytes"), "");
        tmp.resolve("memory/memory.memsw.limit_in_bytes").toFile().delete();
        assertThat(problems(t, resources(memory(100L, null, 200L), null))).containsExactly(
                "linux.resources.memory.swap: swap accounting is not enabled on this host (memory.memsw.limit_in_bytes"
                        + " is missing; boot with swapaccount=1, or leave swap unset)");
    }

    @Test
    void everyViolationIsReportedAtOnce() {
        FakeCgroupTree t = FakeCgroupTree.hybrid(tmp);
        Resources bad = new Resources(
                List.of(new DeviceCgroup(false, "a", null, null, "rwm"), new DeviceCgroup(true, "x", 1L, 3L, "rwz")),
                new Memory(-5L, -2L, 10L, null, null, 101L, null, null, null),
                new Cpu(1L, 500L, null, 100L, null, null, "7", "a-b", 3L),
                null,
                new BlockIO(5, null, List.of(), List.of(new ThrottleDevice(null, 0L, 1L)), List.of(), List.of(), List.of()),
                List.of(new HugepageLimit("2XB", 1L)),
                new Network(-1L, List.of(new InterfacePriority("eth 0", 1L))),
                Map.of(),
                Map.of("../x", "1"));
        assertThat(problems(t, bad)).containsExactly(
                "linux.resources.memory.limit: -5 is not a valid limit (use a positive number of bytes, or -1 for none)",
                "linux.resources.memory.reservation: -2 is not a valid limit (use a positive number of bytes, or -1 for none)",
                "linux.resources.memory.swappiness: 101 is out of range (use 0 to 100)",
                "linux.resources.cpu.shares: 1 is out of range (use 2 to 262144)",
                "linux.resources.cpu.quota: 500 is too small (use at least 1000 microseconds, or -1 for no quota)",
                "linux.resources.cpu.period: 100 is out of range (use 1000 to 1000000 microseconds)",
                "linux.resources.cpu.idle: 3 is not valid (use 0 or 1)",
                "linux.resources.cpu.cpus: 7 is out of range (this host has CPUs 0-1)",
                "linux.resources.cpu.mems: \"a-b\" is not a list of memory nodes (expected e.g. 0-1)",
                "linux.resources.blockIO.weight: 5 is out of range (use 10 to 1000)",
                "linux.resources.blockIO.throttleReadBpsDevice[0]: major and minor device numbers are required "
                        + "(e.g. \"major\": 8, \"minor\": 0)",
                "linux.resources.hugepageLimits[0].pageSize: \"2XB\" is not a page size (expected e.g. 2MB or 1GB)",
                "linux.resources.network.classID: -1 is out of range (use 0 to 4294967295, 0xMMMMmmmm)",
                "linux.resources.network.priorities[0].name: \"eth 0\" is not an interface name",
                "linux.resources.devices[1].type: unknown device type \"x\" (expected a, b or c)",
                "linux.resources.devices[1].access: \"rwz\" is not an access mode (expected letters of rwm)",
                "linux.resources.unified[\"../x\"]: not a cgroup v2 file name (expected e.g. memory.high)");
    }

    @Test
    void swapBelowTheLimitAndUnknownPageSizesAreRefused() {
        FakeCgroupTree t = FakeCgroupTree.hybrid(tmp);
        HostFacts host = new HostFacts("0-1", "0", Set.of("2MB", "1GB"));
        Resources r = new Resources(List.of(), memory(200L, null, 100L), null, null, null,
                List.of(new HugepageLimit("2MB", 1L), new HugepageLimit("64KB", 1L)), null, Map.of(), Map.of());
        CgroupException e = catchThrowableOfType(CgroupException.class, () -> ResourcePlanner.plan(t.layout, host, r));
        assertThat(e.problems()).containsExactly(
                "linux.resources.memory.swap: 100 is less than memory.limit 200 (swap is memory+swap, so use at least "
                        + "the limit, or -1 for no swap limit)",
                "linux.resources.hugepageLimits[1].pageSize: 64KB is not a huge page size of this host (available: 1GB, 2MB)");
    }

    @Test
    void aControllerTheHostLacksIsNamedWithTheField() {
        FakeCgroupTree t = FakeCgroupTree.hybrid(tmp);
        CgroupLayout v1Only = new CgroupLayout(t.layout.v1());
        Resources r = new Resources(List.of(), null, null, null, null, List.of(new HugepageLimit("2MB", 1L)), null,
                Map.of("dev", new dev.nido.oci.Rdma(1L, 2L)), Map.of("memory.high", "1"));
        CgroupException e = catchThrowableOfType(CgroupException.class,
                () -> ResourcePlanner.plan(v1Only, t.facts(), r));
        assertThat(e.problems()).containsExactly(
                "linux.resources.hugepageLimits[0]: controller hugetlb is not available on this host",
                "linux.resources.rdma: controller rdma is not available on this host",
                "linux.resources.unified[\"memory.high\"]: cgroup v2 is not mounted on this host (unified needs cgroup v2)");
        assertThat(problems(t, new Resources(List.of(), null, null, null, null, List.of(), null, Map.of(),
                Map.of("memory.high", "1")))).containsExactly("linux.resources.unified[\"memory.high\"]: controller memory"
                        + " is not available in cgroup v2 on this host (it is bound to a v1 hierarchy)");
        FakeCgroupTree v2 = FakeCgroupTree.v2(tmp.resolve("v2"));
        assertThat(problems(v2, new Resources(List.of(), null, null, null, null, List.of(),
                new Network(1L, List.of()), Map.of(), Map.of()))).containsExactly(
                "linux.resources.network.classID: controller net_cls is not available on this host");
    }

    @Test
    void v2RefusesFieldsItCannotHonour() {
        FakeCgroupTree t = FakeCgroupTree.v2(tmp);
        Resources r = new Resources(List.of(), new Memory(100L << 20, null, null, null, null, 60L, null, null, null),
                new Cpu(null, null, null, null, 1000L, 10000L, null, null, null), null,
                new BlockIO(null, 100, List.of(), List.of(), List.of(), List.of(), List.of()), List.of(), null,
                Map.of(), Map.of());
        assertThat(problems(t, r)).containsExactly(
                "linux.resources.memory.swappiness: not supported on cgroup v2 (there is no per-cgroup swappiness; "
                        + "leave it unset)",
                "linux.resources.cpu.realtimeRuntime: realtime groups are not supported on cgroup v2 (leave "
                        + "realtimeRuntime and realtimePeriod unset)",
                "linux.resources.blockIO.leafWeight: not supported on cgroup v2 (leave it unset)");
    }

    @Test
    void v1OptionalCpuFilesAreUsedWhenPresentAndRefusedWhenMissing() {
        FakeCgroupTree t = FakeCgroupTree.hybrid(tmp);
        Cpu rt = new Cpu(null, null, 1000L, null, 5000L, 10000L, null, null, 1L);
        assertThat(ResourcePlanner.plan(t.layout, t.facts(), resources(null, rt))).containsExactly(
                new CgroupWrite("cpu", "cpu.cfs_burst_us", "1000"),
                new CgroupWrite("cpu", "cpu.rt_period_us", "10000"),
                new CgroupWrite("cpu", "cpu.rt_runtime_us", "5000"),
                new CgroupWrite("cpu", "cpu.idle", "1"));
        tmp.resolve("cpu/cpu.rt_period_us").toFile().delete();
        assertThat(problems(t, resources(null, rt))).containsExactly(
                "linux.resources.cpu.realtimePeriod: not supported on this host (cpu.rt_period_us is missing; it needs "
                        + "CONFIG_RT_GROUP_SCHED), leave it unset");
    }

    @Test
    void nullResourcesPlanNothingAndPidsZeroIsUnlimited() {
        FakeCgroupTree t = FakeCgroupTree.hybrid(tmp);
        assertThat(ResourcePlanner.plan(t.layout, null)).isEmpty();
        assertThat(ResourcePlanner.plan(t.layout, t.facts(), new Resources(List.of(), null, null, new Pids(0L), null,
                List.of(), null, Map.of(), Map.of()))).containsExactly(new CgroupWrite("pids", "pids.max", "max"));
    }

    static List<String> problems(FakeCgroupTree t, Resources r) {
        CgroupException e = catchThrowableOfType(CgroupException.class, () -> ResourcePlanner.plan(t.layout, t.facts(), r));
        assertThat(e).as("expected a CgroupException").isNotNull();
        assertThat(e.getMessage()).isEqualTo(String.join("\n", e.problems()));
        return e.problems();
    }
}
