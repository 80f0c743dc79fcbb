package dev.nido.it;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hand-written {@code linux.seccomp} profiles compiled by nido and loaded for real: each action,
 * argument filters, names unknown on this architecture, exec'd processes, and bad profiles.
 */
class SeccompIT {
    private Sandbox sb;
    private ObjectNode seccomp;

    @BeforeEach
    void setUp() throws IOException {
        sb = new Sandbox();
        seccomp = sb.linux().putObject("seccomp");
        seccomp.put("defaultAction", "SCMP_ACT_ALLOW");
        seccomp.putArray("architectures").add("SCMP_ARCH_X86_64").add("SCMP_ARCH_AARCH64");
        seccomp.putArray("syscalls");
    }

    @AfterEach
    void tearDown() throws IOException {
        sb.close();
    }

    private ObjectNode rule(String action, String... names) {
        ObjectNode r = ((ArrayNode) seccomp.get("syscalls")).addObject();
        ArrayNode n = r.putArray("names");
        for (String s : names) {
            n.add(s);
        }
        r.put("action", action);
        return r;
    }

    private Cli.Result run(String id, String... probe) throws IOException {
        String[] args = new String[probe.length + 1];
        args[0] = "/bin/nido-probe";
        System.arraycopy(probe, 0, args, 1, probe.length);
        sb.args(args).write(id);
        return sb.cli("run", "--bundle", sb.bundle.toString(), id);
    }

    @Test
    void errnoWithItsOwnValueAndNamesThisArchitectureLacksSkipped() throws IOException {
        // "no_such_call" exists on no architecture: skipped, not fatal
        rule("SCMP_ACT_ERRNO", "no_such_call", "getcwd").put("errnoRet", 13);
        Cli.Result r = run("s1", "cwd", "seccomp");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.line("cwd")).isEqualTo("EACCES");
        assertThat(r.line("seccomp")).isEqualTo("2");
        assertThat(r.err()).doesNotContain("no_such_call"); // skipped silently, as runc and crun do
    }

    @Test
    void killProcessEndsTheContainerWithSigsys() throws IOException {
        rule("SCMP_ACT_KILL_PROCESS", "sethostname");
        Cli.Result r = run("s2", "try", "sethostname");
        assertThat(r.code()).as(r.toString()).isEqualTo(128 + 31);
        assertThat(r.out()).doesNotContain("sethostname=");
    }

    @Test
    void argumentFiltersMatchOnlyTheirValues() throws IOException {
        // personality(1) refused by an EQ on arg 0; personality(0xffffffff) (a query) still allowed
        ObjectNode r = rule("SCMP_ACT_ERRNO", "personality");
        r.putArray("args").addObject().put("index", 0).put("value", 1).put("op", "SCMP_CMP_EQ");
        // a masked check on socket's domain: (domain & 0xff) == AF_VSOCK (40)
        ObjectNode s = rule("SCMP_ACT_ERRNO", "socket");
        s.put("errnoRet", 97); // EAFNOSUPPORT
        s.putArray("args").addObject().put("index", 0).put("value", 0xff).put("valueTwo", 40)
                .put("op", "SCMP_CMP_MASKED_EQ");
        Cli.Result res = run("s3", "try", "personality1", "socket-vsock");
        assertThat(res.code()).as(res.toString()).isZero();
        assertThat(res.line("personality1")).isEqualTo("EPERM");
        assertThat(res.line("socket-vsock")).isEqualTo("EAFNOSUPPORT");
    }

    @Test
    void execdProcessesGetTheContainersFilter() throws IOException {
        rule("SCMP_ACT_ERRNO", "getcwd");
        sb.args("/bin/sleep", "30").write("s4");
        Cli.Result c = sb.cli("run", "-d", "--bundle", sb.bundle.toString(), "s4");
        assertThat(c.code()).as(c.toString()).isZero();
        Cli.Result e = sb.cli("exec", "s4", "/bin/nido-probe", "cwd", "seccomp");
        assertThat(e.code()).as(e.toString()).isZero();
        assertThat(e.line("cwd")).isEqualTo("EPERM");
        assertThat(e.line("seccomp")).isEqualTo("2");
        sb.cli("delete", "--force", "s4");
    }

    @Test
    void withoutNoNewPrivilegesTheFilterIsStillLoaded() throws IOException {
        sb.process().put("noNewPrivileges", false);
        rule("SCMP_ACT_ERRNO", "getcwd");
        Cli.Result r = run("s5", "cwd", "seccomp", "nonewprivs");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.line("nonewprivs")).isEqualTo("0");
        assertThat(r.line("seccomp")).isEqualTo("2");
        assertThat(r.line("cwd")).isEqualTo("EPERM");
    }

    @Test
    void theLogFlagIsAccepted() throws IOException {
        seccomp.putArray("flags").add("SECCOMP_FILTER_FLAG_LOG");
        rule("SCMP_ACT_LOG", "getcwd");
        Cli.Result r = run("s6", "cwd", "seccomp");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.line("cwd")).isEqualTo("/");
        assertThat(r.line("seccomp")).isEqualTo("2");
    }

    /** A seccomp agent: takes the listener fd, records what came with it, answers every call with EXDEV. */
    private static final String AGENT = """
            import errno, fcntl, socket, struct, sys
            path, out = sys.argv[1], sys.argv[2]
            srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            srv.bind(path)
            srv.listen(1)
            print("ready", flush=True)
            conn, _ = srv.accept()
            msg, fds, _, _ = socket.recv_fds(conn, 65536, 4)
            with open(out, "w") as f:
                f.write(msg.decode())
            RECV, SEND = 0xC0502100, 0xC0182101  # SECCOMP_IOCTL_NOTIF_RECV / _SEND
            while True:
                buf = bytearray(80)  # struct seccomp_notif, zeroed
                try:
                    fcntl.ioctl(fds[0], RECV, buf, True)
                except OSError as e:
                    if e.errno == errno.ENOENT:
                        continue
                    break
                nid = struct.unpack_from("<Q", buf, 0)[0]
                try:
                    fcntl.ioctl(fds[0], SEND, struct.pack("<QqiI", nid, 0, -errno.EXDEV, 0))
                except OSError:
                    pass
            """;

    @Test
    void notifyHandsTheListenerToTheAgentWhichAnswersForTheKernel() throws Exception {
        java.nio.file.Path script = sb.dir.resolve("agent.py");
        java.nio.file.Files.writeString(script, AGENT);
        java.nio.file.Path sock = sb.dir.resolve("agent.sock");
        java.nio.file.Path got = sb.dir.resolve("agent.json");
        Process agent = new ProcessBuilder("python3", script.toString(), sock.toString(), got.toString())
                .redirectErrorStream(true).start();
        try {
            assertThat(new String(agent.getInputStream().readNBytes(6))).isEqualTo("ready\n");
            seccomp.put("listenerPath", sock.toString()).put("listenerMetadata", "hi \"there\"");
            rule("SCMP_ACT_NOTIFY", "getcwd");
            Cli.Result r = run("n1", "cwd", "seccomp");
            assertThat(r.code()).as(r.toString()).isZero();
            assertThat(r.line("cwd")).isEqualTo("EXDEV"); // the agent's answer, not the kernel's
            var state = Sandbox.JSON.readTree(got.toFile());
            assertThat(state.get("fds").toString()).isEqualTo("[\"seccompFd\"]");
            assertThat(state.get("metadata").asText()).isEqualTo("hi \"there\"");
            assertThat(state.get("state").get("id").asText()).isEqualTo("n1");
            assertThat(state.get("pid").asInt()).isEqualTo(state.get("state").get("pid").asInt()).isPositive();
        } finally {
            agent.destroyForcibly().waitFor();
        }
    }

    @Test
    void aListenerNobodyListensOnFailsCreateClearly() throws IOException {
        seccomp.put("listenerPath", sb.dir.resolve("nobody.sock").toString());
        rule("SCMP_ACT_NOTIFY", "getcwd");
        Cli.Result r = run("n2", "cwd");
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("nobody.sock").contains("seccomp agent").doesNotContain("Exception");
        assertThat(sb.root.resolve("n2")).doesNotExist();
        assertThat(sb.leftoverCgroups()).isEmpty();
    }

    @Test
    void anUnknownActionIsOneClearError() throws IOException {
        rule("SCMP_ACT_FOO", "getcwd");
        Cli.Result r = run("s7", "cwd");
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("linux.seccomp.syscalls[0].action").contains("SCMP_ACT_FOO")
                .doesNotContain("Exception");
        assertThat(sb.root.resolve("s7")).doesNotExist();
        assertThat(sb.leftoverCgroups()).isEmpty();
    }

    @Test
    void aMalformedArgumentFilterIsOneClearError() throws IOException {
        rule("SCMP_ACT_ERRNO", "personality").putArray("args").addObject().put("index", 7).put("value", 1)
                .put("op", "SCMP_CMP_EQ");
        Cli.Result r = run("s8", "cwd");
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("linux.seccomp.syscalls[0].args[0].index").doesNotContain("Exception");
        assertThat(sb.root.resolve("s8")).doesNotExist();
    }

    @Test
    void anUnknownCapabilityIsOneClearError() throws IOException {
        ((ArrayNode) ((ObjectNode) sb.process().get("capabilities")).get("bounding")).add("CAP_FLY");
        Cli.Result r = run("s9", "cwd");
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("process.capabilities.bounding").contains("CAP_FLY").doesNotContain("Exception");
        assertThat(sb.root.resolve("s9")).doesNotExist();
    }
}
