package dev.nido.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BpfDisassemblerTest {

    @Test
    void namesFieldsActionsAndSyscallsOfEachArchitecture() {
        SeccompProgram p = SeccompCompiler.compile(DefaultSeccomp.profile(DefaultSeccompTest.DEFAULT_CAPS, Arch.X86_64),
                Arch.X86_64);
        String text = BpfDisassembler.toText(p.bpf());
        assertThat(text.lines()).hasSize(p.instructionCount());
        assertThat(text).contains("; AUDIT_ARCH_I386", "; ALLOW", "; ERRNO(1)", "; ERRNO(38)", "; KILL_PROCESS",
                "; args[0] high", "; args[0] low", "; >= clone", "; >= clone3");
        assertThat(text).contains("jge #0x40000038").contains("; >= setdomainname");
    }

    @Test
    void showsWhatItDoesNotKnow() {
        byte[] program = new byte[24];
        Bpf.put(program, 0, Bpf.LD_W_ABS, 0, 0, 12);
        Bpf.put(program, 1, 0x87, 0, 0, 0);
        Bpf.put(program, 2, Bpf.RET_K, 0, 0, 0x7ff00005);
        assertThat(BpfDisassembler.toText(program)).isEqualTo("""
                L0:     ld [12]                         ; instruction_pointer high
                L1:     code 0x87 jt 0 jf 0 k 0x0       ; not an instruction nido emits
                L2:     ret #0x7ff00005                 ; TRACE(5)
                """);
        assertThatThrownBy(() -> BpfDisassembler.toText(new byte[7])).isInstanceOf(IllegalArgumentException.class);
    }
}
