package dev.nido.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code nido-runtime run} in the foreground, checked from inside with the probe. */
class RunIT {
    Sandbox sb;

    @BeforeEach
    void setUp() throws IOException {
        sb = new Sandbox();
    }

    @AfterEach
    void tearDown() throws IOException {
        sb.close();
    }

    static String hostNs(String type) throws IOException {
        String link = Files.readSymbolicLink(Path.of("/proc/self/ns/" + type)).toString();
        return link.substring(link.indexOf('[') + 1, link.indexOf(']'));
    }

    @Test
    void defaultSpecGivesNewNamespacesHostnameAndPidOne() throws IOException {
        sb.config.put("hostname", "probe-host");
        sb.write("ns");
        Cli.Result r = sb.cli("run", "--bundle", sb.bundle.toString(), "ns");
        assertThat(r.code()).as(r.toString()).isZero();
        for (String t : new String[] {"mnt", "uts", "ipc", "pid", "net", "cgroup"}) {
            assertThat(r.line("ns." + t)).as(t).isNotNull().isNotEqualTo(hostNs(t));
        }
        assertThat(r.line("ns.user")).isEqualTo(hostNs("user"));
        assertThat(r.line("hostname")).isEqualTo("probe-host");
        assertThat(r.line("pid")).isEqualTo("1");
        assertThat(r.line("cwd")).isEqualTo("/");
        assertThat(r.line("uid")).isEqualTo("0");
        assertThat(r.line("root.writable")).isEqualTo("no");
        assertThat(r.line("fds")).isEqualTo("0,1,2");
        assertThat(r.line("rlimit.nofile")).isEqualTo("1024:1024");
        assertThat(r.line("env.PATH")).isEqualTo("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        assertThat(r.line("mount./proc")).startsWith("proc:");
        assertThat(r.line("mount./dev")).startsWith("tmpfs:");
        assertThat(r.line("mount./sys")).startsWith("sysfs:ro");
        assertThat(r.line("caps.eff")).isEqualTo("00000000a80425fb"); // Docker's 14 (ConfinementIT names them)
        assertThat(r.line("nonewprivs")).isEqualTo("1");
        assertThat(sb.leftoverCgroups()).isEmpty();
        assertThat(Files.exists(sb.root.resolve("ns"))).isFalse();
    }

    @Test
    void exitStatusIsPassedThrough() throws IOException {
        sb.args("/bin/nido-probe", "exit", "42").write("exit42");
        assertThat(sb.cli("run", "--bundle", sb.bundle.toString(), "exit42").code()).isEqualTo(42);
    }

    @Test
    void deathBySignalIs128PlusSignal() throws Exception {
        sb.args("/bin/nido-probe", "sleep", "1000").write("sig");
        Process run = Cli.start(sb.root, "run", "--bundle", sb.bundle.toString(), "sig");
        try {
            LifecycleIT.waitFor(() -> sb.cli("state", "sig").out().contains("\"running\""));
            assertThat(sb.cli("kill", "sig", "9").code()).isZero();
            assertThat(run.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(run.exitValue()).isEqualTo(137);
        } finally {
            run.destroyForcibly();
        }
    }

    @Test
    void processUserCwdEnvUmaskAndRlimits() throws IOException {
        var user = sb.process().putObject("user");
        user.put("uid", 1000).put("gid", 1001).put("umask", 027);
        user.putArray("additionalGids").add(5).add(7);
        sb.process().put("cwd", "/tmp");
        sb.process().withArray("env").add("HELLO=world");
        var rl = sb.process().putArray("rlimits");
        rl.addObject().put("type", "RLIMIT_NOFILE").put("hard", 512).put("soft", 256);
        rl.addObject().put("type", "RLIMIT_CORE").put("hard", 0).put("soft", 0);
        sb.write("user");
        Cli.Result r = sb.cli("run", "--bundle", sb.bundle.toString(), "user");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.line("uid")).isEqualTo("1000");
        assertThat(r.line("gid")).isEqualTo("1001");
        assertThat(r.line("groups")).isEqualTo("5,7");
        assertThat(r.line("cwd")).isEqualTo("/tmp");
        assertThat(r.line("umask")).isEqualTo("0027");
        assertThat(r.line("env.HELLO")).isEqualTo("world");
        assertThat(r.line("rlimit.nofile")).isEqualTo("256:512");
        assertThat(r.line("rlimit.core")).isEqualTo("0:0");
    }

    @Test
    void writableRootWhenNotReadonly() throws IOException {
        sb.config.with("root").put("readonly", false);
        sb.args("/bin/nido-probe", "root.writable");
        Path copy = sb.dir.resolve("rwroot");
        Cli.raw(null, java.util.List.of("cp", "-a", Sandbox.rootfs().toString(), copy.toString()));
        sb.config.with("root").put("path", copy.toString());
        sb.write("rw");
        Cli.Result r = sb.cli("run", "--bundle", sb.bundle.toString(), "rw");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.line("root.writable")).isEqualTo("yes");
    }

    @Test
    void noPivotUsesChroot() throws IOException {
        sb.write("nopivot");
        Cli.Result r = sb.cli("run", "--no-pivot", "--bundle", sb.bundle.toString(), "nopivot");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.line("pid")).isEqualTo("1");
        assertThat(r.line("mount./proc")).startsWith("proc:");
    }

    @Test
    void userNamespaceMapsRootToAnUnprivilegedRange() throws IOException {
        sb.linux().withArray("namespaces").addObject().put("type", "user");
        sb.linux().putArray("uidMappings").addObject().put("containerID", 0).put("hostID", 100000).put("size", 65536);
        sb.linux().putArray("gidMappings").addObject().put("containerID", 0).put("hostID", 100000).put("size", 65536);
        sb.write("userns");
        Cli.Result r = sb.cli("run", "--bundle", sb.bundle.toString(), "userns");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.line("uid")).isEqualTo("0");
        assertThat(r.line("uid_map")).isEqualTo("0 100000 65536");
        assertThat(r.line("ns.user")).isNotEqualTo(hostNs("user"));
    }

    @Test
    void timeNamespaceOffsets() throws IOException {
        sb.linux().withArray("namespaces").addObject().put("type", "time");
        sb.linux().putObject("timeOffsets").putObject("boottime").put("secs", 86400).put("nanosecs", 0);
        sb.args("/bin/sh", "-c", "cut -d. -f1 /proc/uptime");
        sb.write("timens");
        Cli.Result r = sb.cli("run", "--bundle", sb.bundle.toString(), "timens");
        assertThat(r.code()).as(r.toString()).isZero();
        long hostUptime = (long) Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
        assertThat(Long.parseLong(r.out().strip())).isBetween(hostUptime + 86400 - 5, hostUptime + 86400 + 60);
    }

    @Test
    void explainPrintsTheShellEquivalentOfEveryStep() throws IOException {
        sb.args("/bin/true").write("explain");
        Cli.Result r = sb.cli("--explain", "run", "--bundle", sb.bundle.toString(), "explain");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.err()).contains("+ unshare --fork", "+ mount -t proc", "pivot_root . .", "+ exec env -i",
                "cgroup.procs");
    }
}
