package dev.nido.runtime.plan;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Decodes helper events from a byte stream; feed bytes, take complete events. */
public final class EventDecoder {
    private ByteBuffer pending = ByteBuffer.allocate(0).order(ByteOrder.LITTLE_ENDIAN);

    /** Appends bytes read from the event pipe. */
    public void feed(byte[] b, int off, int len) {
        ByteBuffer n = ByteBuffer.allocate(pending.remaining() + len).order(ByteOrder.LITTLE_ENDIAN);
        n.put(pending).put(b, off, len).flip();
        pending = n;
    }

    /** The next complete event, or null if more bytes are needed. */
    public HelperEvent next() {
        if (pending.remaining() < 8) {
            return null;
        }
        int start = pending.position();
        int type = pending.getInt();
        int len = pending.getInt();
        if (len < 0 || pending.remaining() < len) {
            pending.position(start);
            return null;
        }
        ByteBuffer p = pending.slice(pending.position(), len).order(ByteOrder.LITTLE_ENDIAN);
        pending.position(pending.position() + len);
        return decode(type, p);
    }

    /** True when bytes of an incomplete event are left over. */
    public boolean hasPartial() {
        return pending.hasRemaining();
    }

    private static HelperEvent decode(int type, ByteBuffer p) {
        return switch (type) {
            case 1 -> new HelperEvent.Pid(p.getInt());
            case 2 -> new HelperEvent.Ready();
            case 3 -> {
                int index = p.getInt();
                int opcode = p.getShort() & 0xffff;
                p.getShort();
                int errno = p.getInt();
                yield new HelperEvent.Error(index, opcode, errno, str(p), str(p));
            }
            case 4 -> new HelperEvent.Exit(p.getInt());
            default -> new HelperEvent.Error(-1, 0, 0, "", "unknown helper event type " + type);
        };
    }

    private static String str(ByteBuffer p) {
        if (p.remaining() < 4) {
            return "";
        }
        int n = p.getInt();
        byte[] b = new byte[Math.min(n, p.remaining())];
        p.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
