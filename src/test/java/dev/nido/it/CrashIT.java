package dev.nido.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A kill -9 of nido-runtime at any point of create leaves nothing that a following
 * {@code delete --force} does not remove; a SIGTERM to a foreground run reaches the container.
 * The kill points follow create's progress through its {@code --explain} lines on stderr.
 */
class CrashIT {
    Sandbox sb;
    final List<Process> started = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        sb = new Sandbox();
    }

    @AfterEach
    void tearDown() throws IOException {
        for (Process p : started) {
            p.destroyForcibly();
        }
        try {
            for (int pid : tagged()) {
                Cli.raw(null, List.of("kill", "-9", Integer.toString(pid)));
            }
        } finally {
            sb.close();
        }
    }

    /** Collects a process's merged output lines as they come (without waiting for EOF). */
    static final class Output {
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());
        volatile boolean eof;

        Output(Process p) {
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String l = r.readLine(); l != null; l = r.readLine()) {
                        lines.add(l);
                    }
                } catch (IOException e) {
                    // closed
                } finally {
                    eof = true;
                }
            }, "output-reader");
            t.setDaemon(true);
            t.start();
        }

        /** Waits until the n-th line matching the pattern has been printed; false if it never was. */
        boolean await(Pattern p, int n, Process proc, long timeoutMs) throws InterruptedException {
            long end = System.nanoTime() + timeoutMs * 1_000_000;
            while (System.nanoTime() < end) {
                int seen = 0;
                synchronized (lines) {
                    for (String l : lines) {
                        if (p.matcher(l).find() && ++seen == n) {
                            return true;
                        }
                    }
                }
                if (eof) {
                    return false;
                }
                Thread.sleep(1);
            }
            return false;
        }

        String text() {
            synchronized (lines) {
                return String.join("\n", lines);
            }
        }
    }

    /** Live processes whose command line mentions this sandbox's tag (helpers, inits). */
    List<Integer> tagged() {
        List<Integer> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("/proc"))) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (!n.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                int pid = Integer.parseInt(n);
                try {
                    String cmd = Files.readString(p.resolve("cmdline"));
                    if (cmd.contains(sb.tag) && LifecycleIT.alive(pid) && pid != ProcessHandle.current().pid()) {
                        out.add(pid);
                    }
                } catch (IOException e) {
                    // gone
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out;
    }

    static final Pattern AT = Pattern.compile("at (.+)#(\\d+)\\+(\\d+)ms");

    /**
     * Kill points: "after Nms" of wall time since the start, or "at REGEX#K+Dms": D ms after the
     * K-th output line matching REGEX (the create's --explain trace).
     */
    @ParameterizedTest(name = "kill -9 {0}")
    @ValueSource(strings = {"after 0ms", "after 20ms", "after 50ms", "after 100ms", "after 150ms", "after 200ms",
            "after 300ms", "after 500ms", "after 700ms", "after 900ms",
            "at mkdir -m 0755 /sys/fs/cgroup/#1+0ms", "at mkdir -m 0755 /sys/fs/cgroup/#3+0ms",
            "at cpuset.mems#1+0ms", "at mkfifo#1+0ms", "at unshare --fork#1+0ms", "at memfd nido-shim#1+0ms",
            "at argv\\[0\\]=nido-shim#1+0ms", "at cgroup.procs#1+0ms", "at cgroup.procs#4+0ms",
            "at unified/.*cgroup.procs#1+0ms", "at unified/.*cgroup.procs#1+2ms", "at unified/.*cgroup.procs#1+10ms",
            "at unified/.*cgroup.procs#1+30ms"})
    void killMinus9DuringCreateLeavesNothingAfterDeleteForce(String when) throws Exception {
        String id = sb.tag + "-crash";
        sb.args("/bin/sh", "-c", "sleep 1000; : " + sb.tag).write(id);
        Path pidFile = sb.dir.resolve("pid");
        Process p = Cli.start(sb.root, "--explain", "create", "--bundle", sb.bundle.toString(), "--pid-file",
                pidFile.toString(), id);
        started.add(p);
        Output out = new Output(p);
        Matcher at = AT.matcher(when);
        if (at.matches()) {
            boolean seen = out.await(Pattern.compile(at.group(1)), Integer.parseInt(at.group(2)), p, 15_000);
            assertThat(seen).as("create never printed %s:%n%s", at.group(1), out.text()).isTrue();
            Thread.sleep(Long.parseLong(at.group(3)));
        } else {
            Thread.sleep(Long.parseLong(when.replaceAll("\\D", "")));
        }
        p.destroyForcibly(); // SIGKILL; bin/nido-runtime exec's the JVM, so this is the runtime itself
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();

        if (at.matches()) {
            // the kill landed in the middle of create: there is something for delete --force to do
            assertThat(sb.root.resolve(id)).as("state dir before delete, kill " + when).isDirectory();
            if (when.contains("cgroup.procs")) {
                assertThat(sb.leftoverCgroups()).as("cgroups before delete, kill " + when).isNotEmpty();
            }
        }
        Cli.Result d = sb.cli("delete", "--force", id);
        if (d.code() != 0) {
            assertThat(d.err()).as("delete --force after kill %s: %s", when, d).contains("does not exist");
        }
        assertThat(d.err()).as(d.toString()).doesNotContain("Exception");
        assertThat(sb.root.resolve(id)).as("state dir after kill " + when).doesNotExist();
        long end = System.nanoTime() + 3_000_000_000L;
        while (!tagged().isEmpty() && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        assertThat(tagged()).as("processes left after kill %s + delete --force", when).isEmpty();
        assertThat(sb.leftoverCgroups()).as("cgroups left after kill %s + delete --force", when).isEmpty();
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(sb.dir.toString())
                .doesNotContain(Sandbox.rootfs().toString());
        // and the id can be used again
        sb.args("/bin/nido-probe", "exit", "0").write(id);
        Cli.Result again = sb.cli("run", "--bundle", sb.bundle.toString(), id);
        assertThat(again.code()).as("the id is free again: " + again).isZero();
    }

    @Test
    void killMinus9OfAForegroundRunLeavesAContainerThatDeleteForceRemoves() throws Exception {
        String id = sb.tag + "-fgkill";
        sb.args("/bin/sh", "-c", "echo ready; sleep 1000; : " + sb.tag).write(id);
        Process p = Cli.start(sb.root, "run", "--bundle", sb.bundle.toString(), id);
        started.add(p);
        Output out = new Output(p);
        assertThat(out.await(Pattern.compile("^ready$"), 1, p, 15_000)).as(out.text()).isTrue();
        p.destroyForcibly();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        Cli.Result d = sb.cli("delete", "--force", id);
        assertThat(d.code()).as(d.toString()).isZero();
        LifecycleIT.waitFor(() -> tagged().isEmpty());
        assertThat(sb.root.resolve(id)).doesNotExist();
        assertThat(sb.leftoverCgroups()).isEmpty();
    }

    @ParameterizedTest(name = "SIG{0} to a foreground run")
    @ValueSource(strings = {"TERM", "HUP"})
    void aSignalToAForegroundRunIsForwardedToTheContainer(String sig) throws Exception {
        String id = sb.tag + "-fwd" + sig.toLowerCase();
        sb.args("/bin/nido-probe", "signal-wait").write(id);
        Process p = Cli.start(sb.root, "run", "--bundle", sb.bundle.toString(), id);
        started.add(p);
        Output out = new Output(p);
        assertThat(out.await(Pattern.compile("^ready$"), 1, p, 15_000)).as(out.text()).isTrue();
        Cli.Result k = Cli.raw(null, List.of("kill", "-" + sig, Long.toString(p.pid())));
        assertThat(k.code()).as(k.toString()).isZero();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("run did not end after SIG%s:%n%s", sig, out.text()).isTrue();
        long end = System.nanoTime() + 2_000_000_000L;
        while (!out.eof && System.nanoTime() < end) {
            Thread.sleep(5);
        }
        assertThat(out.text()).contains("signal=SIG" + sig);
        assertThat(p.exitValue()).as(out.text()).isZero();
        assertThat(sb.root.resolve(id)).doesNotExist();
        assertThat(sb.leftoverCgroups()).isEmpty();
        assertThat(tagged()).isEmpty();
    }
}
