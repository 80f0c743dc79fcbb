package dev.nido.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BpfInterpreterTest {

    @Test
    void readsSeccompDataLittleEndian() {
        byte[] p = new byte[3 * 8];
        Bpf.put(p, 0, Bpf.LD_W_ABS, 0, 0, Bpf.argHigh(5));
        Bpf.put(p, 1, Bpf.JEQ_K, 0, 2, 0x12345678);
        Bpf.put(p, 2, Bpf.RET_K, 0, 0, 7);
        assertThat(BpfInterpreter.run(p, 0, 0, 0, new long[] {0, 0, 0, 0, 0, 0x12345678_00000000L})).isEqualTo(7);
        assertThatThrownBy(() -> BpfInterpreter.run(p, 0, 0, 0, new long[6]))
                .hasMessage("instruction 1: jump to 4 out of the program");
    }

    @Test
    void rejectsWhatTheKernelWouldNotRun() {
        byte[] unknown = new byte[8];
        Bpf.put(unknown, 0, 0x87, 0, 0, 0);
        assertThatThrownBy(() -> BpfInterpreter.run(unknown, 0, 0)).hasMessage("instruction 0: unsupported code 0x87");
        byte[] noRet = new byte[8];
        Bpf.put(noRet, 0, Bpf.LD_W_ABS, 0, 0, 0);
        assertThatThrownBy(() -> BpfInterpreter.run(noRet, 0, 0)).hasMessage("the program ends without ret");
        byte[] misaligned = new byte[16];
        Bpf.put(misaligned, 0, Bpf.LD_W_ABS, 0, 0, 2);
        Bpf.put(misaligned, 1, Bpf.RET_K, 0, 0, 0);
        assertThatThrownBy(() -> BpfInterpreter.run(misaligned, 0, 0)).hasMessage("instruction 0: load from offset 2");
        assertThatThrownBy(() -> BpfInterpreter.run(new byte[0], 0, 0)).hasMessage("bad program length 0");
    }
}
