package dev.nido.cgroup;

import dev.nido.linux.Errno;
import dev.nido.oci.Cpu;
import dev.nido.oci.HugepageLimit;
import dev.nido.oci.Memory;
import dev.nido.oci.Pids;
import dev.nido.oci.Resources;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.nido.cgroup.FakeCgroupTree.read;
import static dev.nido.cgroup.FakeCgroupTree.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** apply (routing, subtree_control, rollback, memsw order), the freezer and stats on fake trees. */
class ContainerCgroupApplyTest {
    static final String UNLIMITED = "9223372036854771712";

    @TempDir
    Path tmp;

    @AfterEach
    void resetTimeout() {
        Freezer.timeoutMillis = 5_000;
    }

    static Resources basic() {
        return new Resources(List.of(), new Memory(50L << 20, null, null, null, null, null, null, null, null),
                new Cpu(512L, null, null, null, null, null, null, null, null), new Pids(10L), null,
                List.of(new HugepageLimit("2MB", 2L << 20)), null, Map.of(), Map.of());
    }

    private ContainerCgroup created(FakeCgroupTree t, DiskSyscalls sys, String path) {
        ContainerCgroup cg = ContainerCgroup.of(sys, t.layout, path);
        cg.create();
        return cg;
    }

    @Test
    void writesGoToEachControllersDirectoryAndV2ControllersAreEnabledOnlyInOurParents() throws IOException {
        FakeCgroupTree t = FakeCgroupTree.hybrid(tmp);
        DiskSyscalls sys = new DiskSyscalls();
        ContainerCgroup cg = created(t, sys, "/nido/box");
        assertThatThrownBy(() -> cg.apply(ResourcePlanner.plan(t.layout, t.facts(), basic())))
                .as("the host's root is not nido's: it must delegate hugetlb itself")
                .isInstanceOf(CgroupException.class).hasMessageContaining("echo '+hugetlb' > " + tmp + "/unified/cgroup.subtree_control");
        Files.writeString(tmp.resolve("unified/cgroup.subtree_control"), "hugetlb\n");
        int before = sys.rec.calls().size();
        cg.apply(ResourcePlanner.plan(t.layout, t.facts(), basic()));
        assertThat(sys.rec.calls().subList(before, sys.rec.calls().size())).containsExactly(
                "writeFile " + tmp + "/unified/nido/cgroup.subtree_control +hugetlb",
                "writeFile " + tmp + "/memory/nido/box/memory.limit_in_bytes 52428800",
                "writeFile " + tmp + "/cpu/nido/box/cpu.shares 512",
                "writeFile " + tmp + "/pids/nido/box/pids.max 10",
                "writeFile " + tmp + "/unified/nido/box/hugetlb.2MB.max 2097152");
        assertThat(cg.dirOf("hugetlb")).isEqualTo(tmp.resolve("unified/nido/box"));
        assertThat(cg.dirOf("cpuacct")).isEqualTo(tmp.resolve("cpuacct/nido/box"));
    }

    @Test
    void aFailedWriteRestoresWhatTheUpdateHadChangedAndNamesFileValueAndErrno() {
        FakeCgroupTree t = FakeCgroupTree.hybrid(tmp);
        Path mem = t.container("memory", "nido/box", "memory.limit_in_bytes=" + UNLIMITED + "\n");
        Path cpu = t.container("cpu", "nido/box", "cpu.shares=1024\n");
        Path pids = t.container("pids", "nido/box", "pids.max=max\n");
        DiskSyscalls sys = new DiskSyscalls();
        sys.rec.failWhen("writeFile " + pids.resolve("pids.max"), Errno.EINVAL);
        ContainerCgroup cg = ContainerCgroup.ofDirs(sys, t.layout, "/nido/box", List.of(mem, cpu, pids));
        List<CgroupWrite> plan = ResourcePlanner.plan(t.layout, t.facts(), new Resources(List.of(),
                basic().memory(), basic().cpu(), new Pids(10L), null, List.of(), null, Map.of(), Map.of()));
        assertThatThrownBy(() -> cg.apply(plan)).isInstanceOf(CgroupException.class)
                .hasMessage("write \"10\" to " + pids.resolve("pids.max") + ": " + Errno.describe(Errno.EINVAL)
                        + " (the earlier writes of this update were undone)");
        assertThat(read(mem.resolve("memory.limit_in_bytes"))).isEqualTo(UNLIMITED);
        assertThat(read(cpu.resolve("cpu.shares"))).isEqualTo("1024");
        assertThat(sys.rec.calls()).containsExactly(
                "writeFile " + mem.resolve("memory.limit_in_bytes") + " 52428800",
                "writeFile " + cpu.resolve("cpu.shares") + " 512",
                "writeFile " + pids.resolve("pids.max") + " 10",
                "writeFile " + cpu.resolve("cpu.shares") + " 1024",
                "writeFile " + mem.resolve("memory.limit_in_bytes") + " " + UNLIMITED);
    }

    @Test
    void keyedAndReportFilesAreRestoredLineByLine() {
        assertThat(Restore.undo(new CgroupWrite("blkio", "blkio.throttle.read_bps_device", "8:0 100"),
                f -> Optional.of("8:16 5\n"))).containsExactly(new String[] {"blkio.throttle.read_bps_device", "8:0 0"});
        assertThat(Restore.undo(new CgroupWrite("io", "io.max", "8:0 rbps=1"),
                f -> Optional.of("8:0 rbps=5 wbps=max riops=max wiops=max\n")))
                .containsExactly(new String[] {"io.max", "8:0 rbps=5 wbps=max riops=max wiops=max"});
        assertThat(Restore.undo(new CgroupWrite("io", "io.max", "8:0 rbps=1"), f -> Optional.of("")))
                .containsExactly(new String[] {"io.max", "8:0 rbps=max wbps=max riops=max wiops=max"});
        assertThat(Restore.undo(new CgroupWrite("memory", "memory.oom_control", "1"),
                f -> Optional.of("oom_kill_disable 0\nunder_oom 0\n"))).containsExactly(new String[] {"memory.oom_control", "0"});
        assertThat(Restore.undo(new CgroupWrite("devices", "devices.deny", "a"),
                f -> f.equals("devices.list") ? Optional.of("c 1:3 rwm\nc 1:5 rwm\n") : Optional.empty()))
                .containsExactly(new String[] {"devices.deny", "a"}, new String[] {"devices.allow", "c 1:3 rwm"},
                        new String[] {"devices.allow", "c 1:5 rwm"});
    }

    @Test
    void memswIsRaisedFirstWhenTheNewSwapIsAboveTheCurrentLimit() {
        FakeCgroupTree t = FakeCgroupTree.hybrid(tmp);
        Path mem = t.container("memory", "box", "memory.limit_in_bytes=52428800\n", "memory.memsw.limit_in_bytes=52428800\n");
        DiskSyscalls sys = new DiskSyscalls();
        ContainerCgroup cg = ContainerCgroup.ofDirs(sys, t.layout, "/box", List.of(mem));
        cg.apply(List.of(new CgroupWrite("memory", "memory.limit_in_bytes", "104857600"),
                new CgroupWrite("memory", "memory.memsw.limit_in_bytes", "209715200")));
        cg.apply(List.of(new CgroupWrite("memory", "memory.limit_in_bytes", "10485760"),
                new CgroupWrite("memory", "memory.memsw.limit_in_bytes", "20971520")));
        assertThat(sys.rec.calls()).containsExactly(
                "writeFile " + mem + "/memory.memsw.limit_in_bytes 209715200",
                "writeFile " + mem + "/memory.limit_in_bytes 104857600",
                "writeFile " + mem + "/memory.limit_in_bytes 10485760",
                "writeFile " + mem + "/memory.memsw.limit_in_bytes 20971520");
    }

    @Test
    void aParentNidoDidNotCreateIsNeverWrittenButMustHaveTheController() {
        FakeCgroupTree t = FakeCgroupTree.v2(tmp);
        t.container("", "theirs", "cgroup.subtree_control=cpu\n");
        DiskSyscalls sys = new DiskSyscalls();
        ContainerCgroup cg = created(t, sys, "/theirs/box");
        assertThatThrownBy(() -> cg.apply(List.of(new CgroupWrite("memory", "memory.max", "1000"))))
                .isInstanceOf(CgroupException.class)
                .hasMessage("controller memory is not enabled in " + tmp + "/theirs/cgroup.subtree_control, a cgroup nido"
                        + " did not create (enable it there with echo '+memory' > " + tmp
                        + "/theirs/cgroup.subtree_control, or use a cgroupsPath under a parent that has it)");
        cg.apply(List.of(new CgroupWrite("cpu", "cpu.weight", "20")));
        assertThat(sys.rec.calls()).containsExactly("mkdir " + tmp + "/theirs 0755", "mkdir " + tmp + "/theirs/box 0755",
                "writeFile " + tmp + "/theirs/box/cpu.weight 20");
    }

    @Test
    void v1FreezerWritesFrozenAndThawed() {
        FakeCgroupTree t = FakeCgroupTree.hybrid(tmp);
        Path fz = t.container("freezer", "box", "freezer.state=THAWED\n");
        DiskSyscalls sys = new DiskSyscalls();
        ContainerCgroup cg = ContainerCgroup.ofDirs(sys, t.layout, "/box", List.of(fz));
        assertThat(cg.frozen()).isFalse();
        cg.freeze();
        assertThat(cg.frozen()).isTrue();
        cg.thaw();
        assertThat(cg.frozen()).isFalse();
        assertThat(sys.rec.calls()).containsExactly("writeFile " + fz + "/freezer.state FROZEN",
                "writeFile " + fz + "/freezer.state THAWED");
    }

    @Test
    void v2FreezerWaitsForTheEventsFileAndThawsAgainOnTimeout() {
        FakeCgroupTree t = FakeCgroupTree.v2(tmp);
        Path box = t.container("", "box", "cgroup.events=populated 1\nfrozen 1\n");
        DiskSyscalls sys = new DiskSyscalls();
        ContainerCgroup cg = ContainerCgroup.ofDirs(sys, t.layout, "/box", List.of(box));
        cg.freeze();
        assertThat(cg.frozen()).isTrue();
        write(box.resolve("cgroup.events"), "populated 1\nfrozen 0\n");
        Freezer.timeoutMillis = 50;
        assertThatThrownBy(cg::freeze).isInstanceOf(CgroupException.class).hasMessageContaining("still not frozen");
        assertThat(sys.rec.calls()).containsExactly("writeFile " + box + "/cgroup.freeze 1",
                "writeFile " + box + "/cgroup.freeze 1", "writeFile " + box + "/cgroup.freeze 0");
    }

    @Test
    void statsHaveRuncsShapeOnV1() {
        FakeCgroupTree t = FakeCgroupTree.hybrid(tmp);
        List<Path> dirs = List.of(
                t.container("cpuacct", "box", "cpuacct.usage=12345\n", "cpuacct.usage_percpu=12000 345 \n",
                        "cpuacct.stat=user 3\nsystem 4\n"),
                t.container("cpu", "box", "cpu.stat=nr_periods 5\nnr_throttled 1\nthrottled_time 99\n"),
                t.container("memory", "box", "memory.usage_in_bytes=100\n", "memory.limit_in_bytes=200\n",
                        "memory.max_usage_in_bytes=150\n", "memory.failcnt=0\n", "memory.stat=cache 1\nrss 2\n"),
                t.container("pids", "box", "pids.current=3\n", "pids.max=max\n"));
        Map<String, Object> s = ContainerCgroup.ofDirs(new DiskSyscalls(), t.layout, "/box", dirs).stats();
        assertThat(s).isEqualTo(Map.of(
                "cpu", Map.of("usage", Map.of("total", 12345L, "percpu", List.of(12000L, 345L), "kernel", 40_000_000L,
                        "user", 30_000_000L), "throttling", Map.of("periods", 5L, "throttled_periods", 1L,
                        "throttled_time", 99L)),
                "memory", Map.of("usage", Map.of("usage", 100L, "max", 150L, "failcnt", 0L, "limit", 200L),
                        "raw", Map.of("cache", 1L, "rss", 2L)),
                "pids", Map.of("current", 3L, "limit", 0L)));
    }

    @Test
    void statsHaveRuncsShapeOnV2() {
        FakeCgroupTree t = FakeCgroupTree.v2(tmp);
        Path box = t.container("", "box", "cpu.stat=usage_usec 10\nuser_usec 6\nsystem_usec 4\n",
                "memory.current=100\n", "memory.max=max\n", "memory.stat=anon 7\n", "pids.current=2\n", "pids.max=10\n");
        Map<String, Object> s = ContainerCgroup.ofDirs(new DiskSyscalls(), t.layout, "/box", List.of(box)).stats();
        assertThat(s).isEqualTo(Map.of(
                "cpu", Map.of("usage", Map.of("total", 10_000L, "kernel", 4_000L, "user", 6_000L),
                        "throttling", Map.of("periods", 0L, "throttled_periods", 0L)),
                "memory", Map.of("usage", Map.of("usage", 100L, "limit", new java.math.BigInteger("18446744073709551615")), "raw", Map.of("anon", 7L)),
                "pids", Map.of("current", 2L, "limit", 10L)));
    }

    @Test
    void enableControllersWritesOnlyWhereAControllerIsMissing() {
        FakeCgroupTree t = FakeCgroupTree.v2(tmp);
        DiskSyscalls sys = new DiskSyscalls();
        ContainerCgroup cg = created(t, sys, "/a/b");
        cg.enableControllers(Set.of("memory", "pids"));
        assertThat(sys.rec.calls()).containsExactly("mkdir " + tmp + "/a 0755", "mkdir " + tmp + "/a/b 0755",
                "writeFile " + tmp + "/a/cgroup.subtree_control +memory +pids");
    }
}
