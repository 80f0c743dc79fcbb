package dev.nido.it;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a container made from the default {@code nido-runtime spec} may not do, proved from inside
 * with {@code nido-probe try}: the probe really performs each operation (the privileged variant
 * shows it succeeding), so every refusal seen here is the runtime's confinement at work.
 */
class ConfinementIT {
    /** capabilities(7) numbers of the default set Docker, podman and containerd give a container. */
    static final Map<String, Integer> DOCKER_CAPS = Map.ofEntries(
            Map.entry("CAP_CHOWN", 0), Map.entry("CAP_DAC_OVERRIDE", 1), Map.entry("CAP_FOWNER", 3),
            Map.entry("CAP_FSETID", 4), Map.entry("CAP_KILL", 5), Map.entry("CAP_SETGID", 6),
            Map.entry("CAP_SETUID", 7), Map.entry("CAP_SETPCAP", 8), Map.entry("CAP_NET_BIND_SERVICE", 10),
            Map.entry("CAP_NET_RAW", 13), Map.entry("CAP_SYS_CHROOT", 18), Map.entry("CAP_MKNOD", 27),
            Map.entry("CAP_AUDIT_WRITE", 29), Map.entry("CAP_SETFCAP", 31));

    Sandbox sb;

    @BeforeEach
    void setUp() throws IOException {
        sb = new Sandbox();
    }

    @AfterEach
    void tearDown() throws IOException {
        sb.close();
    }

    /** The hex mask /proc/self/status prints for these capability numbers (CapEff: 00000000a80425fb). */
    static String mask(Iterable<Integer> caps) {
        long bits = 0;
        for (int c : caps) {
            bits |= 1L << c;
        }
        return String.format("%016x", bits);
    }

    Cli.Result run(String id, String... probeArgs) throws IOException {
        String[] args = new String[probeArgs.length + 1];
        args[0] = "/bin/nido-probe";
        System.arraycopy(probeArgs, 0, args, 1, probeArgs.length);
        sb.args(args).write(id);
        Cli.Result r = sb.cli("run", "--bundle", sb.bundle.toString(), id);
        assertThat(r.code()).as(r.toString()).isZero();
        return r;
    }

    /** `nido-probe try OPS...` in a container, as an op -> result map in the order asked. */
    Map<String, String> tryOps(String id, String... ops) throws IOException {
        String[] args = new String[ops.length + 1];
        args[0] = "try";
        System.arraycopy(ops, 0, args, 1, ops.length);
        Cli.Result r = run(id, args);
        Map<String, String> out = new LinkedHashMap<>();
        for (String op : ops) {
            out.put(op, r.line(op));
        }
        return out;
    }

    static Map<String, String> all(String value, String... ops) {
        Map<String, String> m = new LinkedHashMap<>();
        Arrays.stream(ops).forEach(op -> m.put(op, value));
        return m;
    }

    @Test
    void defaultCapabilitySetsAreTheDockerFourteen() throws IOException {
        Cli.Result r = run("caps", "caps");
        String docker = mask(DOCKER_CAPS.values());
        assertThat(docker).isEqualTo("00000000a80425fb");
        Map<String, String> sets = new LinkedHashMap<>();
        for (String set : new String[] {"bnd", "prm", "eff", "inh", "amb"}) {
            sets.put(set, r.line("caps." + set));
        }
        assertThat(sets).as(r.toString()).isEqualTo(Map.of("bnd", docker, "prm", docker, "eff", docker,
                "inh", "0000000000000000", "amb", "0000000000000000"));
    }

    @Test
    void defaultSeccompFilterAndNoNewPrivs() throws IOException {
        Cli.Result r = run("filter", "seccomp", "nonewprivs");
        assertThat(r.line("nonewprivs")).as(r.toString()).isEqualTo("1");
        assertThat(r.line("seccomp")).as("Seccomp: 2 is filter mode\n" + r).isEqualTo("2");
    }

    @Test
    void defaultSpecRefusesEveryEscapeHatch() throws IOException {
        long jvm = ProcessHandle.current().pid();
        String ptraceHost = "ptrace:" + jvm;
        Map<String, String> got = tryOps("deny", "mount", "umount", "unshare-user", "keyctl", "kexec_load",
                "init_module", "reboot", "open_by_handle_at", "clone3", "bpf", "socket-vsock", "personality1",
                ptraceHost, "write-sysrq", "write-procsys", "read-kcore", "pids", "root1", "fds", "cwd");
        Map<String, String> want = all("EPERM", "mount", "umount", "unshare-user", "keyctl", "kexec_load",
                "init_module", "reboot", "open_by_handle_at");
        want.put("clone3", "ENOSYS"); // so that libc falls back to clone(2), which the filter can inspect
        want.putAll(all("EPERM", "bpf", "socket-vsock", "personality1"));
        want.put(ptraceHost, "ESRCH"); // the host's pids do not exist in the container's pid namespace
        // masked with /dev/null: nothing to read; a kernel without /proc/kcore gives ENOENT (probed)
        want.put("read-kcore", Files.exists(Path.of("/proc/kcore")) ? "0" : "ENOENT");
        want.put("root1", "/");
        want.put("fds", "0,1,2");
        want.put("cwd", "/");
        Map<String, String> seen = new LinkedHashMap<>(got);
        seen.keySet().removeAll(List.of("write-sysrq", "write-procsys", "pids"));
        assertThat(seen).as("nido-probe try ... (all results: %s)", got).isEqualTo(want);
        // read-only /proc/sys and /proc/sysrq-trigger: EROFS (EACCES or ENOENT where the kernel lacks it)
        assertThat(got.get("write-sysrq")).isNotEqualTo("0").isNotNull();
        assertThat(got.get("write-procsys")).isNotEqualTo("0").isNotNull();
        List<Long> pids = Arrays.stream(got.get("pids").split(",")).map(Long::parseLong).toList();
        assertThat(pids).as("pids seen inside").contains(1L).doesNotContain(jvm).allMatch(p -> p < 16);
    }

    @Test
    void maskedProcFileReadsEmpty() throws IOException {
        // in the default maskedPaths, and never empty on the host (unlike /proc/kcore, which this kernel lacks)
        assertThat(Files.readAllBytes(Path.of("/proc/timer_list"))).isNotEmpty();
        Cli.Result r = run("masked", "read", "/proc/timer_list");
        assertThat(r.line("read")).as(r.toString()).isEmpty();
    }

    @Test
    void withoutSeccompMissingCapabilitiesStillRefuse() throws IOException {
        sb.linux().remove("seccomp");
        Map<String, String> got = tryOps("noseccomp", "mount", "umount", "unshare-mount", "setns", "sethostname",
                "reboot", "open_by_handle_at");
        assertThat(got).isEqualTo(all("EPERM", "mount", "umount", "unshare-mount", "setns", "sethostname",
                "reboot", "open_by_handle_at"));
        assertThat(run("noseccomp2", "seccomp").line("seccomp")).isEqualTo("0");
    }

    @Test
    void privilegedVariantReallyMounts() throws IOException {
        sb.linux().remove("seccomp");
        ObjectNode caps = sb.process().withObjectProperty("capabilities");
        for (String set : new String[] {"bounding", "effective", "permitted"}) {
            ArrayNode a = caps.withArrayProperty(set);
            a.add("CAP_SYS_ADMIN");
        }
        Map<String, String> got = tryOps("priv", "mount", "umount", "unshare-mount", "sethostname");
        // umount of /bin, which is no mount point: past the capability check, EINVAL
        assertThat(got).isEqualTo(Map.of("mount", "0", "umount", "EINVAL", "unshare-mount", "0", "sethostname", "0"));
    }
}
