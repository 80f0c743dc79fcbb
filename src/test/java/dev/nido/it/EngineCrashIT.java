package dev.nido.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 of a container's monitor, of its init, and of the CLI in the middle of a run: ps tells
 * the truth afterwards and system check --repair cleans up whatever is left.
 */
class EngineCrashIT {
    private EngineStore store;
    private EngineLifecycleIT life;

    @BeforeEach
    void setUp() throws IOException {
        store = new EngineStore("nido-engine-crash-");
        life = new EngineLifecycleIT();
        java.lang.reflect.Field f;
        try {
            f = EngineLifecycleIT.class.getDeclaredField("store");
            f.setAccessible(true);
            f.set(life, store);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    @AfterEach
    void tearDown() throws IOException {
        store.close();
    }

    private static void kill9(long pid) throws Exception {
        new ProcessBuilder("kill", "-9", Long.toString(pid)).start().waitFor();
    }

    @Test
    void killedMonitorShowsAsUnmonitoredAndRepairEndsTheContainer() throws Exception {
        String id = store.ok("run", "-d", "--name", "m", "busybox", "sleep", "1000").out().strip();
        long[] p = life.pids("m");
        kill9(p[0]);
        EngineLifecycleIT.await("monitor gone", 5000, () -> !EngineLifecycleIT.alive(p[0]));
        assertThat(life.state("m")).isEqualTo("unmonitored");
        assertThat(store.ok("ps").out()).contains("no monitor");
        Cli.Result check = store.nido("system", "check");
        assertThat(check.code()).isEqualTo(1);
        assertThat(check.out()).contains("container m: its monitor is gone");
        Cli.Result repair = store.ok("system", "check", "--repair");
        assertThat(repair.out()).contains("repaired: container m");
        assertThat(EngineLifecycleIT.alive(p[1])).as("init killed").isFalse();
        assertThat(life.state("m")).isEqualTo("exited");
        assertThat(Sandbox.hostMountsUnder(store.root)).isEmpty();
        assertThat(EngineLifecycleIT.cgroupsNamed(id)).isEmpty();
        assertThat(store.ok("system", "check").out()).contains("is consistent");
        store.ok("start", "m"); // and it can run again
        assertThat(life.state("m")).isEqualTo("running");
    }

    @Test
    void killedInitIsRecordedByItsMonitorAndCleanedUp() throws Exception {
        String id = store.ok("run", "-d", "--name", "i", "busybox", "sleep", "1000").out().strip();
        long[] p = life.pids("i");
        kill9(p[1]);
        EngineLifecycleIT.await("exit recorded and cleaned up", 20_000,
                () -> life.state("i").equals("exited") && store.nido("system", "check").code() == 0);
        assertThat(life.inspect("i").get("State").get("ExitCode").asInt()).isEqualTo(137);
        EngineLifecycleIT.await("the monitor's exit command done", 10_000, () -> !EngineLifecycleIT.alive(p[0]));
        assertThat(Sandbox.hostMountsUnder(store.root)).isEmpty();
        assertThat(EngineLifecycleIT.cgroupsNamed(id)).isEmpty();
    }

    @Test
    void killedCliLeavesTheContainerRunningUnderItsMonitor() throws Exception {
        Process cli = new ProcessBuilder(Cli.HOME.resolve("bin/nido").toString(), "--root", store.root.toString(),
                "run", "--name", "fg", "busybox", "sh", "-c", "echo started; sleep 1000")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        EngineLifecycleIT.await("started", 20_000, () -> store.nido("logs", "fg").out().contains("started"));
        kill9(cli.pid());
        cli.waitFor();
        assertThat(life.state("fg")).isEqualTo("running");
        assertThat(store.ok("system", "check").out()).contains("is consistent");
        store.ok("stop", "-t", "0", "fg");
        assertThat(life.state("fg")).isEqualTo("exited");
    }

    @Test
    void withoutSigProxyAnInterruptedCliLeavesTheContainerRunning() throws Exception {
        Process cli = new ProcessBuilder(Cli.HOME.resolve("bin/nido").toString(), "--root", store.root.toString(),
                "run", "--sig-proxy=false", "--name", "np", "busybox", "sh", "-c",
                "trap 'echo got INT' INT; echo started; sleep 1000 & wait")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        EngineLifecycleIT.await("started", 20_000, () -> store.nido("logs", "np").out().contains("started"));
        new ProcessBuilder("kill", "-INT", Long.toString(cli.pid())).start().waitFor();
        assertThat(cli.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).as("the CLI ends").isTrue();
        assertThat(life.state("np")).isEqualTo("running");
        assertThat(store.ok("logs", "np").out()).doesNotContain("got INT");
        store.ok("rm", "-f", "np");
    }

    @Test
    void cliKilledDuringStartIsRepaired() throws Exception {
        store.ok("create", "--name", "early", "busybox", "sleep", "1000");
        for (int delayMs : List.of(150, 300, 450)) {
            Process cli = new ProcessBuilder(Cli.HOME.resolve("bin/nido").toString(), "--root", store.root.toString(),
                    "start", "early").redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            Thread.sleep(delayMs);
            kill9(cli.pid());
            cli.waitFor();
            Thread.sleep(300);
            String s = life.state("early");
            if (s.equals("running")) {
                store.ok("stop", "-t", "0", "early");
            } else {
                store.ok("system", "check", "--repair");
            }
            assertThat(store.ok("system", "check").out()).as("after a kill at " + delayMs + " ms").contains("is consistent");
            assertThat(life.state("early")).isIn("created", "exited");
            store.ok("start", "early");
            assertThat(life.state("early")).isEqualTo("running");
            store.ok("stop", "-t", "0", "early");
        }
        Path dir = Path.of(life.inspect("early").get("Path").asText());
        assertThat(Files.exists(dir.resolve("fs/rootfs"))).isTrue();
        assertThat(Sandbox.hostMountsUnder(store.root)).isEmpty();
    }
}
