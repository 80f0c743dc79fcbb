package dev.nido.cgroup;

import dev.nido.linux.Syscalls;
import dev.nido.oci.Cpu;
import dev.nido.oci.HugepageLimit;
import dev.nido.oci.Memory;
import dev.nido.oci.Pids;
import dev.nido.oci.Resources;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Limits, rollback, hugetlb through v2, freezing and stats on this host's real cgroups (root). */
class CgroupResourcesIT {
    private final Syscalls sys = Syscalls.real();
    private final CgroupLayout layout = CgroupLayout.detect();
    private final String name = "nidocg-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<Process> processes = new ArrayList<>();
    private ContainerCgroup cg;
    private List<Path> created = List.of();
    private String rootSubtreeBefore;

    @BeforeEach
    void create() throws IOException {
        Assumptions.assumeTrue(layout.home("memory").isPresent(), "no memory controller mounted");
        rootSubtreeBefore = layout.v2().map(h -> readOr(h.mountPoint().resolve("cgroup.subtree_control"))).orElse(null);
        cg = ContainerCgroup.of(sys, layout, "/" + name + "/c");
        created = cg.create();
    }

    @AfterEach
    void cleanUp() {
        processes.forEach(Process::destroyForcibly);
        try {
            if (cg != null) {
                cg.thaw();
            }
        } catch (RuntimeException e) {
            // nothing frozen
        }
        if (cg != null) {
            cg.remove(created);
        }
        for (Path p : created) {
            assertThat(p).doesNotExist();
        }
        layout.v2().ifPresent(h -> assertThat(readOr(h.mountPoint().resolve("cgroup.subtree_control")))
                .as("the host's v2 root is never changed").isEqualTo(rootSubtreeBefore));
    }

    private Path dir(String controller) {
        return cg.dirOf(controller);
    }

    private static String readOr(Path p) {
        return ContainerCgroup.readOptional(p).orElse("").strip();
    }

    @Test
    void limitsAreWrittenToTheV1HierarchiesAndReadBack() {
        Resources r = new Resources(List.of(), new Memory(50L << 20, null, null, null, null, null, null, null, null),
                new Cpu(512L, null, null, null, null, null, "0", null, null), new Pids(10L), null, List.of(), null,
                Map.of(), Map.of());
        cg.apply(ResourcePlanner.plan(layout, r));
        assertThat(readOr(dir("memory").resolve(layout.controllerHome("memory").orElseThrow().equals("v1")
                ? "memory.limit_in_bytes" : "memory.max"))).isEqualTo("52428800");
        if (layout.controllerHome("cpu").orElseThrow().equals("v1")) {
            assertThat(readOr(dir("cpu").resolve("cpu.shares"))).isEqualTo("512");
        } else {
            assertThat(readOr(dir("cpu").resolve("cpu.weight"))).isEqualTo("20");
        }
        assertThat(readOr(dir("pids").resolve("pids.max"))).isEqualTo("10");
        assertThat(readOr(dir("cpuset").resolve("cpuset.cpus"))).isEqualTo("0");
    }

    @Test
    void aFailedUpdateLeavesThePreviousLimitsInPlace() {
        Assumptions.assumeTrue(layout.controllerHome("memory").orElseThrow().equals("v1"), "v1 memory expected here");
        cg.apply(List.of(new CgroupWrite("memory", "memory.limit_in_bytes", "52428800")));
        assertThatThrownBy(() -> cg.apply(List.of(new CgroupWrite("memory", "memory.limit_in_bytes", "104857600"),
                new CgroupWrite("pids", "pids.max", "many")))).isInstanceOf(CgroupException.class)
                .hasMessageContaining("write \"many\" to " + dir("pids").resolve("pids.max"))
                .hasMessageContaining("EINVAL").hasMessageContaining("undone");
        assertThat(readOr(dir("memory").resolve("memory.limit_in_bytes"))).isEqualTo("52428800");
        assertThat(readOr(dir("pids").resolve("pids.max"))).isEqualTo("max");
    }

    @Test
    void hugetlbLimitGoesThroughCgroupV2WhereItLives() {
        Assumptions.assumeTrue(layout.controllerHome("hugetlb").filter("v2"::equals).isPresent(),
                "hugetlb is not a cgroup v2 controller on this host: " + layout.v2().map(Hierarchy::controllers));
        var plan = ResourcePlanner.plan(layout, new Resources(List.of(), null, null, null, null,
                List.of(new HugepageLimit("2MB", 4L << 20)), null, Map.of(), Map.of()));
        Path rootControl = layout.v2().orElseThrow().mountPoint().resolve("cgroup.subtree_control");
        if (!rootSubtreeBefore.contains("hugetlb")) {
            // the host's root does not delegate hugetlb: nido must not enable it there, and says how
            assertThatThrownBy(() -> cg.apply(plan)).isInstanceOf(CgroupException.class)
                    .hasMessageContaining(rootControl.toString()).hasMessageContaining("+hugetlb")
                    .hasMessageContaining("nido did not create");
            return;
        }
        cg.apply(plan);
        Path file = dir("hugetlb").resolve("hugetlb.2MB.max");
        assertThat(file.toString()).startsWith(layout.v2().orElseThrow().mountPoint().toString());
        assertThat(readOr(file)).isEqualTo("4194304");
    }

    @Test
    void freezingStopsABusyLoopAndThawingResumesIt() throws Exception {
        Process p = new ProcessBuilder("sh", "-c", "while :; do :; done").start();
        processes.add(p);
        cg.attach((int) p.pid());
        Thread.sleep(100);
        cg.freeze();
        assertThat(cg.frozen()).isTrue();
        layout.home("freezer").filter(h -> !h.v2())
                .ifPresent(h -> assertThat(readOr(dir("freezer").resolve("freezer.state"))).isEqualTo("FROZEN"));
        long t0 = cpuTicks(p.pid());
        Thread.sleep(300);
        assertThat(cpuTicks(p.pid())).as("cpu time while frozen").isEqualTo(t0);
        cg.thaw();
        assertThat(cg.frozen()).isFalse();
        Thread.sleep(300);
        assertThat(cpuTicks(p.pid())).as("cpu time after thaw").isGreaterThan(t0);
    }

    @Test
    void statsReportUsageOfTheProcessesInside() throws Exception {
        // v1 memory charges stay where pages were first touched: exec a fresh image after the attach.
        Process p = new ProcessBuilder("sh", "-c", "sleep 0.2; exec sh -c 'while :; do :; done'").start();
        processes.add(p);
        cg.attach((int) p.pid());
        cg.apply(List.of(new CgroupWrite("pids", "pids.max", "10")));
        Thread.sleep(600);
        Map<String, Object> s = cg.stats();
        assertThat(s).containsKeys("cpu", "memory", "pids");
        Map<?, ?> pids = (Map<?, ?>) s.get("pids");
        assertThat(pids.get("current")).isEqualTo(1L);
        assertThat(pids.get("limit")).isEqualTo(10L);
        Map<?, ?> cpuUsage = (Map<?, ?>) ((Map<?, ?>) s.get("cpu")).get("usage");
        assertThat((Long) cpuUsage.get("total")).isGreaterThan(100_000_000L); // > 0.1 s of the 0.3 s
        Map<?, ?> memUsage = (Map<?, ?>) ((Map<?, ?>) s.get("memory")).get("usage");
        assertThat((Long) memUsage.get("usage")).isPositive();
    }

    /** utime + stime of a process in clock ticks (proc(5): fields 14 and 15 of /proc/PID/stat). */
    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}
