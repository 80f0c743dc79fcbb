package dev.nido.engine;

import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One connection to a container's monitor: output frames copied to the caller's streams until the
 * exit frame (or until the caller detaches), input sent as frames. Writes may come from another
 * thread than the reading one.
 */
public final class AttachClient implements AutoCloseable {
    private final SocketChannel ch;
    private final Object writeLock = new Object();
    private volatile boolean sawExit;

    private AttachClient(SocketChannel ch) {
        this.ch = ch;
    }

    /** Attaches to a running container's monitor. */
    public static AttachClient connect(Path socket, String container) {
        try {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(socket));
            return new AttachClient(ch);
        } catch (IOException e) {
            throw new EngineException("container " + container + ": cannot reach its monitor at " + socket + " ("
                    + e.getMessage() + "): is it running? (nido ps)");
        }
    }

    /**
     * A socket the monitor of a container about to start connects to, so that a foreground run sees
     * every byte of output: listen first, start the container, then {@link Listener#accept}.
     */
    public static final class Listener implements AutoCloseable {
        private final ServerSocketChannel server;
        private final Path path;

        public Listener(Path path) {
            this.path = path;
            try {
                Files.deleteIfExists(path);
                server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
                server.bind(UnixDomainSocketAddress.of(path), 1);
            } catch (IOException e) {
                throw new EngineException("listen on " + path + ": " + e.getMessage(), e);
            }
        }

        public Path path() {
            return path;
        }

        /** The monitor's connection (made before the container ran). */
        public AttachClient accept() {
            try {
                return new AttachClient(server.accept());
            } catch (IOException e) {
                throw new EngineException("accept on " + path + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            try {
                server.close();
                Files.deleteIfExists(path);
            } catch (IOException e) {
                // a leftover socket file is harmless
            }
        }
    }

    /**
     * Copies output to {@code out}/{@code err} until the monitor's exit frame; returns the exit
     * status, or -1 when the connection ended without one (detached, or the monitor died).
     */
    public int pump(OutputStream out, OutputStream err) {
        AttachProtocol.Decoder d = new AttachProtocol.Decoder();
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        try {
            while (true) {
                buf.clear();
                int n = ch.read(buf);
                if (n < 0) {
                    return -1;
                }
                d.feed(buf.array(), 0, n);
                for (AttachProtocol.Frame f = d.next(); f != null; f = d.next()) {
                    switch (f.type()) {
                        case AttachProtocol.STDOUT -> write(out, f.payload());
                        case AttachProtocol.STDERR -> write(err, f.payload());
                        case AttachProtocol.EXIT -> {
                            sawExit = true;
                            return f.status();
                        }
                        default -> { }
                    }
                }
            }
        } catch (IOException e) {
            return -1; // closed by the detaching side
        }
    }

    /** Whether the monitor sent the exit frame (not a detach, not a dead monitor). */
    public boolean sawExit() {
        return sawExit;
    }

    private static void write(OutputStream o, byte[] b) throws IOException {
        o.write(b);
        o.flush();
    }

    public void send(byte[] frame) {
        synchronized (writeLock) {
            try {
                ByteBuffer b = ByteBuffer.wrap(frame);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
            } catch (IOException e) {
                // the monitor is gone: pump() sees it
            }
        }
    }

    public void stdin(byte[] b, int off, int len) {
        send(AttachProtocol.frame(AttachProtocol.STDIN, b, off, len));
    }

    @Override
    public void close() {
        try {
            ch.close();
        } catch (IOException e) {
            // closing
        }
    }
}
