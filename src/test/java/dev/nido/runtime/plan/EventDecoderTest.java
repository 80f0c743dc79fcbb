package dev.nido.runtime.plan;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class EventDecoderTest {
    private static byte[] event(int type, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(8 + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(type).putInt(payload.length).put(payload);
        return b.array();
    }

    private static byte[] error(int index, int opcode, int errno, String path, String msg) {
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        byte[] m = msg.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(12 + 4 + p.length + 4 + m.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(index).putShort((short) opcode).putShort((short) 0).putInt(errno);
        b.putInt(p.length).put(p).putInt(m.length).put(m);
        return b.array();
    }

    @Test
    void decodesEventsSplitAcrossReads() {
        byte[] pid = event(1, new byte[] {0x39, 0x30, 0, 0});
        byte[] err = event(3, error(7, 14, 1, "/proc", "mount"));
        byte[] all = new byte[pid.length + err.length];
        System.arraycopy(pid, 0, all, 0, pid.length);
        System.arraycopy(err, 0, all, pid.length, err.length);
        EventDecoder d = new EventDecoder();
        d.feed(all, 0, 5);
        assertThat(d.next()).isNull();
        d.feed(all, 5, 10);
        assertThat(d.next()).isEqualTo(new HelperEvent.Pid(12345));
        assertThat(d.next()).isNull();
        d.feed(all, 15, all.length - 15);
        assertThat(d.next()).isEqualTo(new HelperEvent.Error(7, 14, 1, "/proc", "mount"));
        assertThat(d.next()).isNull();
        assertThat(d.hasPartial()).isFalse();
    }

    @Test
    void decodesReadyAndExit() {
        EventDecoder d = new EventDecoder();
        byte[] r = event(2, new byte[0]);
        byte[] x = event(4, new byte[] {0, 3, 0, 0});
        d.feed(r, 0, r.length);
        d.feed(x, 0, x.length);
        assertThat(d.next()).isEqualTo(new HelperEvent.Ready());
        assertThat(d.next()).isEqualTo(new HelperEvent.Exit(0x300));
    }

    @Test
    void unknownTypeBecomesAnError() {
        EventDecoder d = new EventDecoder();
        byte[] u = event(99, new byte[0]);
        d.feed(u, 0, u.length);
        assertThat(d.next()).isInstanceOf(HelperEvent.Error.class);
    }
}
