package dev.nido.engine;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The frames on a monitor's attach socket (docs/engine.md): {@code type:u8 length:u32le payload}.
 * From the monitor: 1 stdout, 2 stderr, 3 exit (i32: the status as a shell shows it). To it:
 * 0 stdin, 4 close stdin, 5 resize (u16 rows, u16 columns), 6 signal (u32), 7 "I will clean up after the
 * exit" and 8 "cleaned up" (a foreground CLI: then the monitor's exit command does not run).
 */
public final class AttachProtocol {
    public static final int STDIN = 0;
    public static final int STDOUT = 1;
    public static final int STDERR = 2;
    public static final int EXIT = 3;
    public static final int CLOSE_STDIN = 4;
    public static final int RESIZE = 5;
    public static final int SIGNAL = 6;
    /** The client cleans the container up after the exit frame: the monitor waits for CLEANED. */
    public static final int WILL_CLEAN = 7;
    /** Cleaned up: the monitor runs no exit command. */
    public static final int CLEANED = 8;
    static final int HEADER = 5;
    static final int MAX_PAYLOAD = 1 << 20;

    private AttachProtocol() {
    }

    /** One decoded frame. */
    public record Frame(int type, byte[] payload) {
        /** The exit status carried by an EXIT frame. */
        public int status() {
            return ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN).getInt();
        }
    }

    public static byte[] frame(int type, byte[] payload, int off, int len) {
        ByteBuffer b = ByteBuffer.allocate(HEADER + len).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) type).putInt(len).put(payload, off, len);
        return b.array();
    }

    public static byte[] resize(int rows, int cols) {
        ByteBuffer p = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putShort((short) rows)
                .putShort((short) cols);
        return frame(RESIZE, p.array(), 0, 4);
    }

    public static byte[] empty(int type) {
        return frame(type, new byte[0], 0, 0);
    }

    public static byte[] signal(int signo) {
        return frame(SIGNAL, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(signo).array(), 0, 4);
    }

    /** Splits a byte stream into frames; feed it what arrives, take frames while there are any. */
    public static final class Decoder {
        private ByteBuffer buf = ByteBuffer.allocate(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);

        public void feed(byte[] b, int off, int len) {
            if (buf.remaining() < len) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + len))
                        .order(ByteOrder.LITTLE_ENDIAN);
                buf.flip();
                bigger.put(buf);
                buf = bigger;
            }
            buf.put(b, off, len);
        }

        /** The next whole frame, or null; a frame too large or of no known type is an error. */
        public Frame next() {
            if (buf.position() < HEADER) {
                return null;
            }
            int type = buf.get(0) & 0xff;
            int len = buf.getInt(1);
            if (len < 0 || len > MAX_PAYLOAD || type > CLEANED) {
                throw new EngineException("attach socket: a malformed frame (type " + type + ", length " + len + ")");
            }
            if (buf.position() < HEADER + len) {
                return null;
            }
            byte[] payload = new byte[len];
            buf.flip();
            buf.position(HEADER);
            buf.get(payload);
            buf.compact();
            return new Frame(type, payload);
        }
    }
}
