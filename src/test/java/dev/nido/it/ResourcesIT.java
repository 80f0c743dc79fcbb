package dev.nido.it;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** linux.resources applied for real on this (hybrid, v1) host, update, pause/resume, events. */
class ResourcesIT {
    Sandbox sb;

    @BeforeEach
    void setUp() throws IOException {
        sb = new Sandbox();
    }

    @AfterEach
    void tearDown() throws IOException {
        sb.close();
    }

    ObjectNode resources() {
        return sb.linux().with("resources");
    }

    String v1(String controller, String id, String file) throws IOException {
        return Files.readString(Path.of("/sys/fs/cgroup", controller, sb.tag, id, file)).strip();
    }

    @Test
    void aProcessPastTheMemoryLimitIsOomKilledOneUnderItRuns() throws IOException {
        resources().putObject("memory").put("limit", 50L << 20).put("swap", 50L << 20);
        sb.args("/bin/nido-probe", "alloc", "200").write("oom");
        Cli.Result r = sb.cli("run", "--bundle", sb.bundle.toString(), "oom");
        assertThat(r.code()).as(r.toString()).isEqualTo(137);
        sb.args("/bin/nido-probe", "alloc", "20").write("fits");
        Cli.Result ok = sb.cli("run", "--bundle", sb.bundle.toString(), "fits");
        assertThat(ok.code()).as(ok.toString()).isZero();
        assertThat(ok.out()).contains("alloc=ok");
        assertThat(sb.leftoverCgroups()).isEmpty();
    }

    @Test
    void anOomKillInsideTheContainerIsReportedByEvents() throws Exception {
        resources().putObject("memory").put("limit", 50L << 20).put("swap", 50L << 20);
        sb.args("/bin/sh", "-c", "/bin/nido-probe alloc 200; echo survived; sleep 1000").write("ev");
        assertThat(sb.cli("run", "-d", "--bundle", sb.bundle.toString(), "ev").code()).isZero();
        LifecycleIT.waitFor(() -> sb.cli("events", "--stats", "ev").out().contains("\"oom_kill\":1"));
        Process stream = Cli.start(sb.root, "events", "--interval", "100ms", "ev");
        try {
            String first = new String(stream.getInputStream().readNBytes(20), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(first).startsWith("{\"type\":\"oom\"");
        } finally {
            stream.destroyForcibly();
        }
    }

    @Test
    void limitsAreWrittenAndAPidsLimitStopsForks() throws IOException {
        resources().putObject("memory").put("limit", 64L << 20);
        resources().putObject("cpu").put("shares", 512).put("quota", 50000).put("period", 100000).put("cpus", "0");
        resources().putObject("pids").put("limit", 5);
        sb.args("/bin/sh", "-c", "for i in 1 2 3; do sleep 100 & done; wait").write("lim");
        assertThat(sb.cli("run", "-d", "--bundle", sb.bundle.toString(), "lim").code()).isZero();
        assertThat(v1("memory", "lim", "memory.limit_in_bytes")).isEqualTo(String.valueOf(64L << 20));
        assertThat(v1("cpu", "lim", "cpu.shares")).isEqualTo("512");
        assertThat(v1("cpu", "lim", "cpu.cfs_quota_us")).isEqualTo("50000");
        assertThat(v1("cpuset", "lim", "cpuset.cpus")).isEqualTo("0");
        assertThat(v1("pids", "lim", "pids.max")).isEqualTo("5");
        LifecycleIT.waitFor(() -> pidsCurrent("lim") == 4);
        // the exec'd shell is the 5th task; its fork would be the 6th
        Cli.Result x = sb.cli("exec", "lim", "/bin/sh", "-c", "sleep 100 & echo forked");
        assertThat(x.out()).doesNotContain("forked");
        assertThat(x.err()).contains("can't fork");
        assertThat(v1("pids", "lim", "pids.events")).matches("max [1-9][0-9]*");
    }

    int pidsCurrent(String id) {
        try {
            return Integer.parseInt(v1("pids", id, "pids.current"));
        } catch (IOException e) {
            return -1;
        }
    }

    @Test
    void updateChangesALiveLimitAndABadValueChangesNothing() throws IOException {
        resources().putObject("memory").put("limit", 64L << 20);
        sb.args("/bin/sleep", "1000").write("up");
        assertThat(sb.cli("run", "-d", "--bundle", sb.bundle.toString(), "up").code()).isZero();
        Cli.Result u = sb.cli("update", "--memory", "32m", "--pids-limit", "20", "up");
        assertThat(u.code()).as(u.toString()).isZero();
        assertThat(v1("memory", "up", "memory.limit_in_bytes")).isEqualTo(String.valueOf(32L << 20));
        assertThat(v1("pids", "up", "pids.max")).isEqualTo("20");
        Cli.Result bad = sb.cli("update", "--memory", "16m", "--cpuset-cpus", "99", "up");
        assertThat(bad.code()).isNotZero();
        assertThat(bad.err()).contains("cpus").doesNotContain("Exception");
        assertThat(v1("memory", "up", "memory.limit_in_bytes")).isEqualTo(String.valueOf(32L << 20));
        assertThat(sb.cli("update", "--memory", "lots", "up").err()).contains("--memory \"lots\"");
    }

    @Test
    void checkBeforeUpdateRefusesALimitBelowTheCurrentUsage() throws Exception {
        sb.args("/bin/nido-probe", "alloc", "30", "hold").write("cbu");
        assertThat(sb.cli("run", "-d", "--bundle", sb.bundle.toString(), "cbu").code()).isZero();
        LifecycleIT.waitFor(() -> {
            try {
                return Long.parseLong(v1("memory", "cbu", "memory.usage_in_bytes")) > (30L << 20);
            } catch (IOException e) {
                return false;
            }
        });
        String before = v1("memory", "cbu", "memory.limit_in_bytes");
        Cli.Result low = Cli.exec("{\"memory\":{\"limit\":10485760,\"checkBeforeUpdate\":true}}", sb.root,
                "update", "-r", "-", "cbu");
        assertThat(low.code()).isNotZero();
        assertThat(low.err()).contains("linux.resources.memory.limit", "current usage");
        assertThat(v1("memory", "cbu", "memory.limit_in_bytes")).isEqualTo(before);
        Cli.Result high = Cli.exec("{\"memory\":{\"limit\":104857600,\"checkBeforeUpdate\":true}}", sb.root,
                "update", "-r", "-", "cbu");
        assertThat(high.code()).as(high.toString()).isZero();
        assertThat(v1("memory", "cbu", "memory.limit_in_bytes")).isEqualTo("104857600");
    }

    @Test
    void pauseFreezesResumeThawsAndEventsReportUsage() throws IOException {
        sb.args("/bin/sh", "-c", "while :; do :; done").write("fz");
        assertThat(sb.cli("run", "-d", "--bundle", sb.bundle.toString(), "fz").code()).isZero();
        assertThat(sb.cli("pause", "fz").code()).isZero();
        assertThat(v1("freezer", "fz", "freezer.state")).isEqualTo("FROZEN");
        assertThat(sb.cli("state", "fz").out()).contains("\"paused\"");
        long t0 = cpuNanos("fz");
        sleep(300);
        assertThat(cpuNanos("fz")).isEqualTo(t0);
        assertThat(sb.cli("resume", "fz").code()).isZero();
        assertThat(sb.cli("state", "fz").out()).contains("\"running\"");
        sleep(300);
        assertThat(cpuNanos("fz")).isGreaterThan(t0);
        Cli.Result ev = sb.cli("events", "--stats", "fz");
        assertThat(ev.code()).as(ev.toString()).isZero();
        assertThat(ev.out()).contains("\"type\":\"stats\"", "\"id\":\"fz\"", "\"cpu\"", "\"memory\"", "\"pids\"");
        assertThat(sb.cli("resume", "fz").err()).contains("not paused");
    }

    /** The classic experiment: CPU shares 717 and 307 on one CPU, then a third burner, then one less. */
    @Test
    void cpuSharesSplitOneCpuSeventyThirtyThenSeventyFifteenFifteen() throws Exception {
        for (String[] c : new String[][] {{"s717", "717"}, {"s307", "307"}}) {
            resources().putObject("cpu").put("shares", Integer.parseInt(c[1])).put("cpus", "0");
            sb.args("/bin/sh", "-c", "while :; do :; done").write(c[0]);
            assertThat(sb.cli("run", "-d", "--bundle", sb.bundle.toString(), c[0]).code()).isZero();
        }
        int a = initPid("s717");
        int b = initPid("s307");
        long[] t = measure(2000, a, b);
        System.out.printf("shares 717/307: %.1f%% / %.1f%%%n", percent(t[0], t[0] + t[1]), percent(t[1], t[0] + t[1]));
        assertThat(percent(t[0], t[0] + t[1])).as("717 vs 307").isBetween(65.0, 75.0);

        Path pidFile = sb.dir.resolve("c.pid");
        assertThat(sb.cli("exec", "-d", "--pid-file", pidFile.toString(), "s307", "/bin/sh", "-c",
                "while :; do :; done").code()).isZero();
        int c = Integer.parseInt(Files.readString(pidFile).strip());
        t = measure(2000, a, b, c);
        long all = t[0] + t[1] + t[2];
        System.out.printf("shares 717/307+307: %.1f%% / %.1f%% / %.1f%%%n", percent(t[0], all), percent(t[1], all),
                percent(t[2], all));
        assertThat(percent(t[0], all)).as("717 burner with two in the 307 group").isBetween(65.0, 75.0);
        assertThat(percent(t[1], all)).as("first 307 burner").isBetween(10.0, 20.0);
        assertThat(percent(t[2], all)).as("second 307 burner").isBetween(10.0, 20.0);

        assertThat(sb.cli("kill", "--all", "s717", "KILL").code()).isZero();
        LifecycleIT.waitFor(() -> !LifecycleIT.alive(a));
        long wallTicks = 2000 / 10; // 100 clock ticks per second
        t = measure(2000, b, c);
        System.out.printf("307 group alone: %.1f%% of CPU 0%n", percent(t[0] + t[1], wallTicks));
        assertThat(percent(t[0] + t[1], wallTicks)).as("the 307 group alone on CPU 0").isGreaterThan(85.0);
    }

    @Test
    void aQuotaThrottlesAndCpusetPins() throws Exception {
        resources().putObject("cpu").put("quota", 20000).put("period", 100000).put("cpus", "1");
        sb.args("/bin/sh", "-c", "while :; do :; done").write("q");
        assertThat(sb.cli("run", "-d", "--bundle", sb.bundle.toString(), "q").code()).isZero();
        int pid = initPid("q");
        assertThat(Files.readString(Path.of("/proc/" + pid + "/status"))).contains("Cpus_allowed_list:\t1\n");
        long[] t = measure(2000, pid);
        double used = percent(t[0], 2000 / 10);
        System.out.printf("quota 20%%: the burner used %.1f%% of a CPU%n", used);
        assertThat(used).as("a 20 ms / 100 ms quota").isBetween(12.0, 28.0);
        assertThat(Long.parseLong(v1("cpu", "q", "cpu.stat").replaceAll("(?s).*nr_throttled (\\d+).*", "$1")))
                .isPositive();
    }

    int initPid(String id) throws IOException {
        return Sandbox.JSON.readTree(sb.cli("state", id).out()).get("pid").asInt();
    }

    /** CPU clock ticks (utime + stime) each pid used during {@code ms}. */
    static long[] measure(long ms, int... pids) {
        long[] before = new long[pids.length];
        for (int i = 0; i < pids.length; i++) {
            before[i] = ticks(pids[i]);
        }
        sleep(ms);
        long[] used = new long[pids.length];
        for (int i = 0; i < pids.length; i++) {
            used[i] = ticks(pids[i]) - before[i];
        }
        return used;
    }

    static long ticks(int pid) {
        try {
            String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException e) {
            throw new AssertionError("process " + pid + " is gone", e);
        }
    }

    static double percent(long part, long whole) {
        return whole == 0 ? 0 : 100.0 * part / whole;
    }

    long cpuNanos(String id) {
        try {
            return Long.parseLong(v1("cpuacct", id, "cpuacct.usage"));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
