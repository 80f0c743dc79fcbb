package dev.nido.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * process.terminal with {@code --console-socket}, as conmon and containerd use it: the runtime
 * connects to an AF_UNIX socket and sends the pty master with SCM_RIGHTS. Java cannot receive
 * descriptors, so the receiving end is a small Python script.
 */
class ConsoleIT {
    /**
     * Binds argv[1], accepts one connection, receives the fds and the pty name; writes argv[3]
     * (if any) to the master, then prints everything read from the master until EOF/EIO or
     * argv[2] seconds.
     */
    private static final String RECEIVER = """
            import os, select, socket, sys, time
            path, timeout = sys.argv[1], float(sys.argv[2])
            send = sys.argv[3] if len(sys.argv) > 3 else ""
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.bind(path)
            s.listen(1)
            s.settimeout(timeout)
            print("listening", flush=True)
            try:
                c, _ = s.accept()
            except socket.timeout:
                print("no-connection", flush=True)
                sys.exit(3)
            c.settimeout(timeout)
            msg, fds, _, _ = socket.recv_fds(c, 4096, 8)
            c.close()
            print("name=" + msg.rstrip(b"\\0").decode(), flush=True)
            print("nfds=%d" % len(fds), flush=True)
            if not fds:
                sys.exit(4)
            m = fds[0]
            if send:
                os.write(m, send.encode())
            out = b""
            end = time.time() + timeout
            while time.time() < end:
                r, _, _ = select.select([m], [], [], max(0.0, end - time.time()))
                if not r:
                    print("timeout", flush=True)
                    break
                try:
                    d = os.read(m, 4096)
                except OSError:
                    break
                if not d:
                    break
                out += d
            for line in out.decode(errors="replace").replace("\\r", "").split("\\n"):
                print("pty:" + line, flush=True)
            """;

    Sandbox sb;
    final List<Process> receivers = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        sb = new Sandbox();
        sb.process().put("terminal", true);
    }

    @AfterEach
    void tearDown() throws IOException {
        for (Process p : receivers) {
            p.destroyForcibly();
        }
        sb.close();
    }

    /** A running receiver: its stdout lines are collected once it has exited. */
    final class Receiver {
        final Path socket;
        final Process proc;
        final BufferedReader out;

        Receiver(String name, double timeoutSeconds, String send) throws IOException {
            Path script = sb.dir.resolve("recv.py");
            if (!Files.exists(script)) {
                Files.writeString(script, RECEIVER);
            }
            socket = sb.dir.resolve(name + ".sock");
            List<String> cmd = new ArrayList<>(List.of("python3", script.toString(), socket.toString(),
                    Double.toString(timeoutSeconds)));
            if (send != null) {
                cmd.add(send);
            }
            proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            receivers.add(proc);
            out = new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine();
            assertThat(first).as("receiver did not start").isEqualTo("listening");
        }

        /** Everything the receiver printed after "listening". */
        List<String> lines() throws IOException, InterruptedException {
            assertThat(proc.waitFor(15, TimeUnit.SECONDS)).as("receiver still running").isTrue();
            List<String> l = new ArrayList<>();
            for (String s = out.readLine(); s != null; s = out.readLine()) {
                l.add(s);
            }
            return l;
        }

        /** What came through the pty, one string. */
        String pty() throws IOException, InterruptedException {
            StringBuilder b = new StringBuilder();
            for (String s : lines()) {
                b.append(s).append('\n');
            }
            return b.toString();
        }
    }

    static String value(String text, String key) {
        for (String l : text.split("\n")) {
            if (l.startsWith(key + "=")) {
                return l.substring(key.length() + 1);
            }
        }
        return null;
    }

    @Test
    void createWithConsoleSocketThenStartGivesTheProcessAPty() throws Exception {
        String id = sb.tag + "-cs";
        sb.args("/bin/nido-probe", "tty", "ttyname").write(id);
        Receiver rx = new Receiver("create", 8, null);
        Cli.Result c = sb.cli("create", "--bundle", sb.bundle.toString(), "--console-socket", rx.socket.toString(), id);
        assertThat(c.code()).as(c.toString()).isZero();
        Cli.Result s = sb.cli("start", id);
        assertThat(s.code()).as(s.toString()).isZero();
        String got = rx.pty();
        assertThat(value(got, "name")).as(got).startsWith("/dev/pts/");
        assertThat(value(got, "nfds")).as(got).isEqualTo("1");
        assertThat(got).contains("pty:tty=yes");
        assertThat(value(got, "pty:ttyname")).as(got).startsWith("/dev/pts/").isEqualTo(value(got, "name"));
        LifecycleIT.waitFor(() -> stateStatus(id).equals("stopped"));
        Cli.Result d = sb.cli("delete", id);
        assertThat(d.code()).as(d.toString()).isZero();
        assertThat(sb.leftoverCgroups()).isEmpty();
    }

    @Test
    void runDetachedWithConsoleSocketCarriesInputAndOutput() throws Exception {
        String id = sb.tag + "-rd";
        sb.args("/bin/sh").write(id);
        Receiver rx = new Receiver("run", 8, "echo hi-$((40+2)); tty\nexit 0\n");
        Cli.Result r = sb.cli("run", "-d", "--bundle", sb.bundle.toString(), "--console-socket", rx.socket.toString(),
                id);
        assertThat(r.code()).as(r.toString()).isZero();
        String got = rx.pty();
        assertThat(got).contains("pty:hi-42").containsPattern("pty:/dev/pts/\\d+");
        LifecycleIT.waitFor(() -> stateStatus(id).equals("stopped"));
        assertThat(sb.cli("delete", id).code()).isZero();
    }

    @Test
    void execWithTtyAndConsoleSocketIntoARunningContainer() throws Exception {
        String id = sb.tag + "-ex";
        sb.process().put("terminal", false);
        sb.args("/bin/sleep", "1000").write(id);
        Cli.Result r = sb.cli("run", "-d", "--bundle", sb.bundle.toString(), id);
        assertThat(r.code()).as(r.toString()).isZero();
        Receiver rx = new Receiver("exec", 8, null);
        Cli.Result x = sb.cli("exec", "-t", "--console-socket", rx.socket.toString(), id, "/bin/nido-probe", "tty",
                "ttyname");
        assertThat(x.code()).as(x.toString()).isZero();
        String got = rx.pty();
        assertThat(got).contains("pty:tty=yes");
        assertThat(value(got, "pty:ttyname")).as(got).startsWith("/dev/pts/");
        // the container's own process still has no terminal
        Cli.Result plain = sb.cli("exec", id, "/bin/nido-probe", "tty");
        assertThat(plain.line("tty")).as(plain.toString()).isEqualTo("no");
    }

    @Test
    void foregroundRunWithTerminalAndNoSocketRelaysStdio() throws IOException {
        String id = sb.tag + "-fg";
        sb.args("/bin/sh").write(id);
        Cli.Result r = Cli.exec("echo relay-$((6*7)); tty; exit 5\n", sb.root, "run", "--bundle",
                sb.bundle.toString(), id);
        assertThat(r.code()).as(r.toString()).isEqualTo(5);
        assertThat(r.out()).contains("relay-42").containsPattern("/dev/pts/\\d+");
        assertThat(sb.root.resolve(id)).doesNotExist();
        assertThat(sb.leftoverCgroups()).isEmpty();
    }

    @Test
    void detachedRunWithTerminalButNoSocketFailsClearly() throws IOException {
        String id = sb.tag + "-nosock";
        sb.args("/bin/nido-probe", "tty").write(id);
        Cli.Result r = sb.cli("run", "-d", "--bundle", sb.bundle.toString(), id);
        assertThat(r.code()).as(r.toString()).isNotZero();
        assertThat(r.err().strip()).as(r.toString()).hasLineCount(1).contains("--console-socket")
                .contains("terminal").doesNotContain("Exception");
        assertNothingLeft(id);
    }

    @Test
    void consoleSocketWithoutTerminalFailsClearly() throws Exception {
        String id = sb.tag + "-noterm";
        sb.process().put("terminal", false);
        sb.args("/bin/nido-probe", "tty").write(id);
        Receiver rx = new Receiver("noterm", 2, null);
        for (String verb : new String[] {"create", "run"}) {
            List<String> args = new ArrayList<>(List.of(verb));
            if (verb.equals("run")) {
                args.add("-d");
            }
            args.addAll(List.of("--bundle", sb.bundle.toString(), "--console-socket", rx.socket.toString(), id));
            Cli.Result r = sb.cli(args.toArray(String[]::new));
            assertThat(r.code()).as(verb + ": " + r).isNotZero();
            assertThat(r.err().strip()).as(verb + ": " + r).hasLineCount(1).contains("--console-socket")
                    .contains("terminal").doesNotContain("Exception");
            assertNothingLeft(id);
        }
        assertThat(rx.lines()).as("the runtime should not have sent a pty").contains("no-connection");
    }

    @Test
    void execTtyDetachedWithoutSocketFailsClearly() throws IOException {
        String id = sb.tag + "-exd";
        sb.process().put("terminal", false);
        sb.args("/bin/sleep", "1000").write(id);
        assertThat(sb.cli("run", "-d", "--bundle", sb.bundle.toString(), id).code()).isZero();
        Cli.Result x = sb.cli("exec", "-t", "-d", id, "/bin/sleep", "1000");
        assertThat(x.code()).as(x.toString()).isNotZero();
        assertThat(x.err().strip()).as(x.toString()).hasLineCount(1).contains("--console-socket")
                .doesNotContain("Exception");
        Cli.Result ps = sb.cli("ps", "--format", "json", id);
        assertThat(ps.code()).as(ps.toString()).isZero();
        assertThat(Sandbox.JSON.readTree(ps.out()).size()).as("no stray exec process: " + ps.out()).isEqualTo(1);
    }

    String stateStatus(String id) {
        Cli.Result r = sb.cli("state", id);
        if (r.code() != 0) {
            return "error: " + r.err();
        }
        try {
            return Sandbox.JSON.readTree(r.out()).get("status").asText();
        } catch (IOException e) {
            return "bad json";
        }
    }

    void assertNothingLeft(String id) throws IOException {
        assertThat(sb.root.resolve(id)).doesNotExist();
        assertThat(sb.leftoverCgroups()).isEmpty();
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(sb.dir.toString())
                .doesNotContain(Sandbox.rootfs().toString());
    }
}
