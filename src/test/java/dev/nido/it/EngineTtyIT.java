package dev.nido.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Terminals, driven from a real pty (Python's pty module plays the user): run -it in the
 * foreground, attach to a detached -it container and detach with ctrl-p ctrl-q, and LXC's console
 * with ctrl-a q on a system container; the containers keep running after each detach.
 */
class EngineTtyIT {
    private EngineStore store;

    /** Runs nido ARGS on a pty, sends each input after the previous expected text appeared; prints OUT and STATUS. */
    private static final String DRIVER = """
            import os, pty, sys, time, select, json
            argv, steps = json.loads(sys.argv[1]), json.loads(sys.argv[2])
            pid, fd = pty.fork()
            if pid == 0:
                os.execv(argv[0], argv)
            buf = b''
            def until(s, t=20):
                global buf
                end = time.time() + t
                while s.encode() not in buf and time.time() < end:
                    r, _, _ = select.select([fd], [], [], 0.1)
                    if r:
                        try:
                            buf += os.read(fd, 4096)
                        except OSError:
                            return
            for send, expect in steps:
                if send:
                    os.write(fd, send.encode())
                if expect:
                    until(expect)
            end = time.time() + 20
            while time.time() < end:
                p, status = os.waitpid(pid, os.WNOHANG)
                if p:
                    break
                r, _, _ = select.select([fd], [], [], 0.1)
                if r:
                    try:
                        buf += os.read(fd, 4096)
                    except OSError:
                        pass
            else:
                os.kill(pid, 9); status = -1
            print('STATUS', os.waitstatus_to_exitcode(status) if status >= 0 else 'timeout')
            print('OUT', buf.decode(errors='replace'))
            """;

    @BeforeEach
    void setUp() throws IOException {
        store = new EngineStore("nido-engine-tty-");
        store.ok("run", "--rm", "busybox", "true");
    }

    @AfterEach
    void tearDown() throws IOException {
        store.close();
    }

    private String onPty(List<String> nidoArgs, List<List<String>> steps) throws Exception {
        List<String> argv = new java.util.ArrayList<>(List.of(Cli.HOME.resolve("bin/nido").toString(), "--root",
                store.root.toString()));
        argv.addAll(nidoArgs);
        Process p = new ProcessBuilder("python3", "-c", DRIVER, Sandbox.JSON.writeValueAsString(argv),
                Sandbox.JSON.writeValueAsString(steps)).redirectErrorStream(true).start();
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void runItPassesTheShellsStatusThrough() throws Exception {
        String out = onPty(List.of("run", "-it", "--rm", "busybox", "sh"),
                List.of(List.of("", "# "), List.of("echo $((6*7))\r", "42"),
                        List.of("[ /dev/console -ef $(tty) ] && echo console-is-$(tty)\r", "console-is-"),
                        List.of("exit 5\r", "")));
        assertThat(out).contains("42").contains("STATUS 5");
        assertThat(out).as("/dev/console is the container's pty (runtime-spec)").contains("console-is-/dev/pts/0");
    }

    @Test
    void attachAndDetachLeaveTheContainerRunning() throws Exception {
        store.ok("run", "-d", "-it", "--name", "t", "busybox", "sh");
        String out = onPty(List.of("attach", "t"),
                List.of(List.of("echo hel\"\"lo\r", "hello"), List.of("\u0010\u0011", "")));
        assertThat(out).contains("hello").contains("STATUS 0");
        assertThat(store.ok("ps").out()).contains("t").contains("Up");
        assertThat(store.ok("logs", "t").out()).contains("hello"); // the pty's output is logged too
        String again = onPty(List.of("attach", "--detach-keys", "ctrl-x,y", "t"),
                List.of(List.of("echo wor\"\"ld\r", "world"), List.of("\u0018y", "")));
        assertThat(again).contains("world").contains("STATUS 0");
        assertThat(store.ok("ps").out()).contains("Up");
        store.ok("rm", "-f", "t");
    }

    @Test
    void consoleOfASystemContainerDetachesWithCtrlAQ() throws Exception {
        store.ok("run", "-d", "--system", "--name", "sys", "busybox");
        String out = onPty(List.of("console", "sys"),
                List.of(List.of("\r", "# "), List.of("echo con\"\"sole $$\r", "console"), List.of("\u0001q", "")));
        assertThat(out).contains("ctrl-a q").contains("console").contains("STATUS 0");
        assertThat(store.ok("ps").out()).contains("sys").contains("Up");
        store.ok("stop", "sys");
    }
}
