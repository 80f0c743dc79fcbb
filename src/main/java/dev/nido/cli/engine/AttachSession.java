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
    private final boolean sigProxy;
    private final AtomicBoolean detached = new AtomicBoolean();

    private AttachSession(AttachClient client, boolean stdin, boolean tty, byte[] detachKeys, boolean sigProxy) {
        this.client = client;
        this.stdin = stdin;
        this.tty = tty;
        this.detachKeys = detachKeys;
        this.sigProxy = sigProxy;
    }

    /** A foreground run or start -a: returns the container's exit status (0 when detached). */
    static int foreground(AttachClient c, boolean stdin, boolean tty, byte[] keys, boolean sigProxy) {
        return new AttachSession(c, stdin, tty, keys, sigProxy).run();
    }

    /** nido attach / console to a running container: its exit status when it ends, else 0. */
    static int attach(AttachClient c, boolean stdin, boolean tty, byte[] keys, boolean sigProxy) {
        return new AttachSession(c, stdin, tty, keys, sigProxy).run();
    }

    /**
     * Docker's {@code --detach-keys}: comma-separated keys, each a character or {@code ctrl-X}
     * ({@code ctrl-p,ctrl-q}; {@code ctrl-a,q}); empty: no detaching.
     */
    static byte[] keys(String flag, byte[] dflt) {
        if (flag == null) {
            return dflt;
        }
        if (flag.isEmpty()) {
            return new byte[0];
        }
        String[] parts = flag.split(",");
        byte[] out = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String k = parts[i].strip().toLowerCase(java.util.Locale.ROOT);
            if (k.length() == 1) {
                out[i] = (byte) k.charAt(0);
            } else if (k.matches("ctrl-[a-z@\\[\\]\\\\^_]")) {
                out[i] = (byte) (k.charAt(5) & 0x1f);
            } else {
                throw new dev.nido.engine.EngineException("--detach-keys " + flag + ": expected keys like ctrl-p,ctrl-q"
                        + " or ctrl-a,q (a letter, or ctrl- and a letter or one of @[\\]^_)");
            }
        }
        return out;
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
            if (!tty && sigProxy) {
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
                    if (detachKeys.length == 0) {
                        break;
                    }
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
