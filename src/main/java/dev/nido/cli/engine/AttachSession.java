package dev.nido.cli.engine;

import dev.nido.engine.AttachClient;
import dev.nido.engine.AttachProtocol;
import dev.nido.linux.Signals;
import dev.nido.linux.Terminal;

import java.io.FileInputStream;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The user's side of an attached container: output to our stdout/stderr, our stdin (raw when the
 * container has a terminal) to the container, window sizes, and our SIGINT/SIGTERM passed on
 * (without a terminal, as Docker's sig-proxy does). A key sequence detaches, leaving it running:
 * Docker's ctrl-p ctrl-q for attach and run, LXC's ctrl-a q for console.
 */
final class AttachSession {
    static final byte[] DOCKER_DETACH = {0x10, 0x11};
    static final byte[] LXC_DETACH = {0x01, 'q'};

    private final AttachClient client;
    private final boolean stdin;
    private final boolean tty;
    private final byte[] detachKeys;
    private final AtomicBoolean detached = new AtomicBoolean();

    private AttachSession(AttachClient client, boolean stdin, boolean tty, byte[] detachKeys) {
        this.client = client;
        this.stdin = stdin;
        this.tty = tty;
        this.detachKeys = detachKeys;
    }

    /** A foreground run or start -a: returns the container's exit status (0 when detached). */
    static int foreground(AttachClient c, boolean stdin, boolean tty) {
        return new AttachSession(c, stdin, tty, DOCKER_DETACH).run();
    }

    /** nido attach / console to a running container: its exit status when it ends, else 0. */
    static int attach(AttachClient c, boolean stdin, boolean tty, byte[] keys) {
        return new AttachSession(c, stdin, tty, keys).run();
    }

    int run() {
        Terminal.Saved saved = tty && stdin ? Terminal.makeRaw(0) : null;
        try {
            handleSignals();
            if (tty) {
                resize();
            }
            if (stdin) {
                Thread.ofPlatform().daemon().name("attach-stdin").start(this::pumpStdin);
            }
            int code = client.pump(System.out, System.err);
            if (detached.get()) {
                return 0;
            }
            if (code < 0) {
                System.err.println("nido: the container's monitor went away; nido ps shows its state");
                return 125;
            }
            return code;
        } finally {
            Terminal.restore(saved);
            if (saved != null && detached.get()) {
                System.err.println();
            }
        }
    }

    private void handleSignals() {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("WINCH"), s -> resize());
            if (!tty) {
                for (String name : new String[] {"INT", "TERM", "HUP", "QUIT"}) {
                    sun.misc.Signal.handle(new sun.misc.Signal(name),
                            s -> client.send(AttachProtocol.signal(Signals.parse(name))));
                }
            }
        } catch (IllegalArgumentException e) {
            // a signal the JVM keeps for itself: not forwarded
        }
    }

    private void resize() {
        int[] size = Terminal.size(1);
        if (size == null) {
            size = Terminal.size(0);
        }
        if (size != null) {
            client.send(AttachProtocol.resize(size[0], size[1]));
        }
    }

    private void pumpStdin() {
        InputStream in = new FileInputStream(FileDescriptor.in);
        byte[] buf = new byte[8192];
        int matched = 0;
        try {
            for (int n; (n = in.read(buf)) > 0; ) {
                int start = 0;
                for (int i = 0; i < n; i++) {
                    matched = buf[i] == detachKeys[matched] ? matched + 1 : buf[i] == detachKeys[0] ? 1 : 0;
                    if (matched == detachKeys.length && tty) {
                        client.stdin(buf, start, Math.max(0, i + 1 - detachKeys.length - start));
                        detached.set(true);
                        client.close();
                        return;
                    }
                }
                client.stdin(buf, start, n);
            }
            client.send(AttachProtocol.frame(AttachProtocol.CLOSE_STDIN, new byte[0], 0, 0));
        } catch (IOException e) {
            // our stdin is gone
        }
    }
}
