package dev.nido.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Detached containers under their monitor, through the CLI: run -d, logs -f, exec, stop, start, rm;
 * restart policies; a system container's init stopped gracefully; live update; stats; and what is
 * left on the host afterwards (no monitor, mount, cgroup or socket).
 */
class EngineLifecycleIT {
    private EngineStore store;

    @BeforeEach
    void setUp() throws IOException {
        store = new EngineStore("nido-engine-life-");
    }

    @AfterEach
    void tearDown() throws IOException {
        store.close();
    }

    static void await(String what, long millis, BooleanSupplier cond) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (!cond.getAsBoolean()) {
            if (System.currentTimeMillis() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    JsonNode inspect(String name) {
        try {
            return Sandbox.JSON.readTree(store.ok("inspect", name).out()).get(0);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    String state(String name) {
        return inspect(name).get("State").get("Status").asText();
    }

    /** The monitor's pid and the init's, from monitor.pid. */
    long[] pids(String name) throws IOException {
        Path dir = Path.of(inspect(name).get("Path").asText());
        String[] f = Files.readString(dir.resolve("monitor.pid")).strip().split(" ");
        return new long[] {Long.parseLong(f[0]), Long.parseLong(f[2])};
    }

    /** A process that runs (a zombie no longer does: its parent may be a reaper that is slow to reap). */
    static boolean alive(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void detachedRunLogsExecStopStartAndRemove() throws Exception {
        String id = store.ok("run", "-d", "--name", "web", "busybox", "sh", "-c",
                "i=0; while true; do echo tick $i; echo err $i >&2; i=$((i+1)); sleep 0.1; done").out().strip();
        assertThat(id).matches("[0-9a-f]{64}");
        assertThat(store.ok("ps").out()).contains("web").contains("Up");
        long[] p = pids("web");
        long monitor = p[0];
        // the monitor is the small C helper, not a JVM, and not in the container's cgroup
        String exe = Files.readSymbolicLink(Path.of("/proc/" + monitor + "/exe")).toString();
        assertThat(exe).contains("memfd:");
        String monitorCg = Files.readString(Path.of("/proc/" + monitor + "/cgroup"));
        String initCg = Files.readString(Path.of("/proc/" + p[1] + "/cgroup"));
        assertThat(initCg).contains(id);
        assertThat(monitorCg).doesNotContain(id);
        Process follow = new ProcessBuilder(Cli.HOME.resolve("bin/nido").toString(), "--root", store.root.toString(),
                "logs", "-f", "web").redirectErrorStream(true).start();
        await("ticks in the log", 10_000, () -> store.ok("logs", "web").out().contains("tick 3"));
        Cli.Result logs = store.ok("logs", "--tail", "2", "-t", "web");
        assertThat(logs.out().strip().split("\n")).hasSize(1); // the other of the last two is on stderr
        assertThat(logs.out()).matches("(?s)\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z tick \\d+\n");
        assertThat(logs.err()).contains(" err ");
        Cli.Result exec = store.ok("exec", "-e", "X=42", "-w", "/tmp", "web", "sh", "-c", "echo $X $(pwd)");
        assertThat(exec.out()).isEqualTo("42 /tmp\n");
        assertThat(store.nido("exec", "web", "sh", "-c", "exit 3").code()).isEqualTo(3);
        assertThat(store.nido("exec", "web", "no-such-cmd").code()).isEqualTo(127);
        Cli.Result rm = store.nido("rm", "web");
        assertThat(rm.code()).isNotZero();
        assertThat(rm.err()).contains("web is running").contains("rm -f web");
        long t0 = System.nanoTime();
        store.ok("stop", "-t", "1", "web"); // sh as PID 1 ignores TERM: SIGKILL after 1 s
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(ms).isBetween(900L, 8000L);
        assertThat(follow.waitFor(10, TimeUnit.SECONDS)).as("logs -f ends with the container").isTrue();
        String followed = new String(follow.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(followed).contains("tick 0", "tick 3", "err 2");
        assertThat(state("web")).isEqualTo("exited");
        assertThat(inspect("web").get("State").get("ExitCode").asInt()).isEqualTo(137);
        // the monitor became its exit command (nido container cleanup), which finds nothing left to do
        await("the monitor's exit command done", 10_000, () -> !alive(monitor));
        assertThat(Sandbox.hostMountsUnder(store.root)).isEmpty();
        Cli.Result stopped = store.nido("exec", "web", "true");
        assertThat(stopped.code()).isEqualTo(125);
        assertThat(stopped.err()).contains("web is exited").contains("nido start web");
        store.ok("start", "web");
        await("running again", 10_000, () -> store.ok("logs", "web").out().split("tick 0").length > 2);
        assertThat(state("web")).isEqualTo("running");
        long[] p2 = pids("web");
        store.ok("rm", "-f", "web");
        assertThat(alive(p2[1])).as("init gone after rm -f").isFalse();
        await("monitor gone after rm -f", 10_000, () -> !alive(p2[0]));
        assertThat(store.ok("ps", "-a", "-q").out()).isEmpty();
        assertThat(cgroupsNamed(id)).isEmpty();
        assertThat(Sandbox.hostMountsUnder(store.root)).isEmpty();
        try (var s = Files.list(store.root.resolve("sock"))) {
            assertThat(s.toList()).as("sockets left").isEmpty();
        }
    }

    static List<Path> cgroupsNamed(String id) throws IOException {
        List<Path> out = new ArrayList<>();
        try (var s = Files.walk(Path.of("/sys/fs/cgroup"), 4)) {
            s.filter(p -> p.getFileName() != null && p.getFileName().toString().equals(id)).forEach(out::add);
        }
        return out;
    }

    @Test
    void restartPolicyRestartsAFailingContainerNTimesThenWaitReportsItsStatus() throws Exception {
        store.ok("run", "-d", "--name", "crash", "--restart", "on-failure:2", "busybox", "sh", "-c", "echo run; exit 3");
        await("two restarts", 30_000, () -> {
            JsonNode s = inspect("crash").get("State");
            return s.get("Status").asText().equals("exited") && s.get("RestartCount").asInt() == 2;
        });
        assertThat(store.ok("wait", "crash").out()).isEqualTo("3\n");
        assertThat(store.ok("logs", "crash").out()).isEqualTo("run\nrun\nrun\n");
        // a user's stop is never undone by the policy
        store.ok("run", "-d", "--name", "always", "--restart", "always", "busybox", "sleep", "1000");
        store.ok("stop", "-t", "0", "always");
        Thread.sleep(500);
        assertThat(state("always")).isEqualTo("exited");
        // a crash loop stopped by the user, whether it is up or in its back-off, stays stopped
        store.ok("run", "-d", "--name", "loop", "--restart", "always", "busybox", "sh", "-c", "sleep 0.2; exit 1");
        await("restarted twice", 30_000, () -> inspect("loop").get("State").get("RestartCount").asInt() >= 2);
        store.ok("stop", "-t", "1", "loop");
        int count = inspect("loop").get("State").get("RestartCount").asInt();
        Thread.sleep(3000);
        assertThat(state("loop")).isEqualTo("exited");
        assertThat(inspect("loop").get("State").get("RestartCount").asInt()).isEqualTo(count);
        // --rm: gone once it exits
        store.ok("run", "-d", "--rm", "--name", "gone", "busybox", "true");
        await("--rm container removed", 20_000, () -> !store.ok("ps", "-a").out().contains("gone"));
    }

    @Test
    void aSystemContainerBootsBusyboxInitAndStopsGracefully() throws Exception {
        store.ok("run", "-d", "--system", "--template", "busybox", "--name", "sys"); // lxc-create -t + lxc-start
        await("init running", 10_000, () -> store.nido("exec", "sys", "ps").out().contains("init"));
        Cli.Result ps = store.ok("exec", "sys", "ps", "-o", "pid,comm");
        assertThat(ps.out()).containsPattern("\\s1 init");
        assertThat(store.ok("ls", "-f").out()).containsPattern("sys\\s+RUNNING");
        long t0 = System.nanoTime();
        store.ok("stop", "sys");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(ms).as("stopped by its init, not by SIGKILL after 10 s").isLessThan(8000);
        int code = inspect("sys").get("State").get("ExitCode").asInt();
        assertThat(code).as("reboot(2) in a PID namespace ends init with SIGINT (halt) or SIGHUP").isIn(129, 130);
        assertThat(store.ok("logs", "sys").out()).contains("The system is going down");
    }

    @Test
    void liveUpdateIsSeenInsideAndStatsMoveWithWork() throws Exception {
        store.ok("run", "-d", "--name", "busy", "--memory", "64m", "busybox", "sh", "-c", "while :; do :; done");
        String limit = "cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max";
        assertThat(store.ok("exec", "busy", "sh", "-c", limit).out().strip()).isEqualTo("67108864");
        store.ok("update", "--memory", "128m", "--pids-limit", "50", "busy");
        assertThat(store.ok("exec", "busy", "sh", "-c", limit).out().strip()).isEqualTo("134217728");
        // LXC's cgroup keys apply live too (lxc-cgroup)
        store.ok("config", "busy", "lxc.cgroup.pids.max=33");
        assertThat(store.ok("exec", "busy", "sh", "-c",
                "cat /sys/fs/cgroup/pids/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids.max").out().strip()).isEqualTo("33");
        Cli.Result stats = store.ok("stats", "--no-stream", "--format", "json", "busy");
        JsonNode row = Sandbox.JSON.readTree(stats.out());
        assertThat(row.get("cpuPercent").asDouble()).as(stats.out()).isGreaterThan(40.0);
        assertThat(row.get("memLimit").asLong()).isEqualTo(134217728L);
        assertThat(row.get("pids").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(store.ok("top", "busy").out()).contains("while");
        store.ok("pause", "busy");
        assertThat(state("busy")).isEqualTo("paused");
        JsonNode frozen = Sandbox.JSON.readTree(store.ok("stats", "--no-stream", "--format", "json", "busy").out());
        assertThat(frozen.get("cpuPercent").asDouble()).isLessThan(5.0);
        store.ok("unpause", "busy");
        store.ok("kill", "busy");
        await("killed", 10_000, () -> state("busy").equals("exited"));
        assertThat(inspect("busy").get("State").get("ExitCode").asInt()).isEqualTo(137);
        // the new limit stays for the next start
        store.ok("start", "busy");
        assertThat(store.ok("exec", "busy", "sh", "-c", limit).out().strip()).isEqualTo("134217728");
        store.ok("rm", "-f", "busy");
    }

    @Test
    void userNamespacesGetTheirOwnRangesOverIdMappedSharedLayers() throws Exception {
        Cli.Result closed = store.nido("run", "--rm", "--userns=auto", "busybox", "true");
        assertThat(closed.code()).isEqualTo(125);
        assertThat(closed.err()).contains("chmod o+x " + store.dir); // a temporary directory is 0700
        Files.setPosixFilePermissions(store.dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        store.ok("run", "-d", "--userns=auto", "--name", "u1", "busybox", "sleep", "1000");
        store.ok("run", "-d", "--userns=auto", "--name", "u2", "busybox", "sleep", "1000");
        long base1 = hostUid(pids("u1")[1]);
        long base2 = hostUid(pids("u2")[1]);
        assertThat(base1).isGreaterThanOrEqualTo(100_000);
        assertThat(Math.abs(base1 - base2)).as("distinct ranges").isGreaterThanOrEqualTo(65_536);
        assertThat(store.ok("exec", "u1", "cat", "/proc/self/uid_map").out().trim()).matches("0\\s+" + base1 + "\\s+65536");
        // image files belong to the container's root, / too, and root can write: nothing was chowned
        assertThat(store.ok("exec", "u1", "sh", "-c", "ls -ldn / /bin/busybox /etc/passwd").out())
                .doesNotContain("65534").containsPattern("\\s0\\s+0\\s");
        store.ok("exec", "u1", "sh", "-c", "echo x >> /etc/passwd && touch /made-inside");
        Path dir = Path.of(inspect("u1").get("Path").asText());
        assertThat(Files.getAttribute(dir.resolve("fs/upper/made-inside"), "unix:uid")).isEqualTo((int) base1);
        try (var s = Files.walk(store.root.resolve("snapshots"))) {
            assertThat(s.filter(p -> p.toString().endsWith("/etc/passwd")).allMatch(p -> {
                try {
                    return (int) Files.getAttribute(p, "unix:uid") == 0;
                } catch (IOException e) {
                    return false;
                }
            })).as("the shared layer still belongs to host root").isTrue();
        }
        store.ok("rm", "-f", "u1", "u2");
        // a bind mount id-mapped like the layers (podman's :idmap): host root's files are root's inside
        Path vol = Files.createDirectories(store.dir.resolve("vol"));
        Files.writeString(vol.resolve("f"), "host\n");
        Cli.Result v = store.ok("run", "--rm", "--userns=auto", "-v", vol + ":/v:idmap", "busybox", "sh", "-c",
                "ls -ln /v/f; touch /v/made");
        assertThat(v.out()).containsPattern("\\s0\\s+0\\s");
        assertThat(Files.getAttribute(vol.resolve("made"), "unix:uid")).isEqualTo(0);
        assertThat(store.nido("run", "--rm", "-v", vol + ":/v:idmap", "busybox", "true").err())
                .contains(":idmap needs a user namespace");
        // LXC's lxc.idmap on a created container
        store.ok("create", "--name", "lx", "busybox", "cat", "/proc/self/uid_map", "/proc/self/gid_map");
        store.ok("config", "lx", "lxc.idmap=u 0 300000 65536", "lxc.idmap=g 0 310000 65536");
        Cli.Result r = store.ok("start", "-a", "lx");
        assertThat(r.out()).containsPattern("0\\s+300000\\s+65536").containsPattern("0\\s+310000\\s+65536");
        store.ok("config", "lx", "lxc.idmap=", "lxc.idmap=u 5 300000 10", "lxc.idmap=g 5 310000 10");
        Cli.Result bad = store.nido("start", "-a", "lx");
        assertThat(bad.code()).isEqualTo(125);
        assertThat(bad.err()).contains("one uid and one gid range starting at container id 0");
        assertThat(store.nido("run", "--userns=sometimes", "busybox", "true").err()).contains("--userns sometimes");
    }

    static long hostUid(long pid) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (l.startsWith("Uid:")) {
                return Long.parseLong(l.split("\\s+")[1]);
            }
        }
        throw new AssertionError("no Uid in /proc/" + pid + "/status");
    }

    @Test
    void badInputGetsOneClearErrorEach() throws Exception {
        Cli.Result r = store.nido("stop", "nope");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("no such container: nope");
        store.ok("create", "--name", "c", "busybox", "true");
        r = store.nido("exec", "c", "true");
        assertThat(r.code()).isEqualTo(125);
        assertThat(r.err()).contains("c is created");
        r = store.nido("run", "-d", "--restart", "sometimes", "busybox", "true");
        assertThat(r.err()).contains("--restart sometimes");
        r = store.nido("run", "-d", "--rm", "--restart", "always", "busybox", "true");
        assertThat(r.err()).contains("conflict");
        r = store.nido("logs", "--since", "yesterday", "c");
        assertThat(r.err()).contains("--since yesterday");
        r = store.nido("update", "c");
        assertThat(r.err()).contains("give a limit");
        r = store.nido("run", "-d", "busybox", "no-such-command");
        assertThat(r.code()).isEqualTo(127);
        r = store.nido("kill", "-s", "NOPE", "c");
        assertThat(r.err()).contains("--signal NOPE");
        r = store.nido("console", "c");
        assertThat(r.err()).contains("c is created");
        assertThat(store.nido("run", "--rm").err()).contains("give an IMAGE");
        assertThat(store.nido("run", "--rm", "--template", "nope", "true").err()).contains("template \"nope\" does not exist");
        assertThat(store.ok("ps", "-a", "--format", "json").out().split("\n")).hasSize(2); // c and the 127 one
    }
}
