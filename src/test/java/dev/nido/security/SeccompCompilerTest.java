package dev.nido.security;

import static dev.nido.security.Specs.arg;
import static dev.nido.security.Specs.masked;
import static dev.nido.security.Specs.rule;
import static dev.nido.security.Specs.spec;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Exact programs for small profiles: a change in what reaches the kernel shows up here. */
class SeccompCompilerTest {

    @Test
    void allowByDefaultWithOneSyscallDenied() {
        SeccompProgram p = SeccompCompiler.compile(spec("SCMP_ACT_ALLOW", rule("mkdir", "SCMP_ACT_ERRNO")), Arch.X86_64);
        assertThat(BpfDisassembler.toText(p.bpf())).isEqualTo("""
                L0:     ld [4]                          ; arch
                L1:     jeq #0xc000003e, L3, L2         ; AUDIT_ARCH_X86_64
                L2:     ret #0x80000000                 ; KILL_PROCESS
                L3:     ld [0]                          ; nr
                L4:     jset #0x40000000, L5, L7        ; x32 syscall bit
                L5:     jeq #0xffffffff, L7, L6         ; nr -1 (a tracer skipping the call)
                L6:     ret #0x80000000                 ; KILL_PROCESS
                L7:     jeq #0x53, L9, L8               ; mkdir
                L8:     ret #0x7fff0000                 ; ALLOW
                L9:     ret #0x50001                    ; ERRNO(1)
                """);
        assertThat(HexFormat.of().formatHex(p.bpf())).isEqualTo(
                "2000000004000000" + "150001003e0000c0" + "0600000000000080" + "2000000000000000"
                        + "4500000200000040" + "15000100ffffffff" + "0600000000000080" + "1500010053000000"
                        + "060000000000ff7f" + "0600000001000500");
        assertThat(p.instructionCount()).isEqualTo(10);
        assertThat(p.flags()).isZero();
        assertThat(p.skipped()).isEmpty();
    }

    @Test
    void maskedEqualOnCloneFlagsWithI386AndTheEnosysRule() {
        SeccompProgram p = SeccompCompiler.compile(spec("SCMP_ACT_ERRNO", List.of("SCMP_ARCH_X86"),
                rule("clone", "SCMP_ACT_ALLOW", masked(0, 0x7E020000L, 0)), rule("read", "SCMP_ACT_ALLOW")), Arch.X86_64);
        assertThat(BpfDisassembler.toText(p.bpf())).isEqualTo("""
                L0:     ld [4]                          ; arch
                L1:     jeq #0xc000003e, L4, L2         ; AUDIT_ARCH_X86_64
                L2:     jeq #0x40000003, L17, L3        ; AUDIT_ARCH_I386
                L3:     ret #0x80000000                 ; KILL_PROCESS
                L4:     ld [0]                          ; nr
                L5:     jset #0x40000000, L6, L8        ; x32 syscall bit
                L6:     jeq #0xffffffff, L8, L7         ; nr -1 (a tracer skipping the call)
                L7:     ret #0x80000000                 ; KILL_PROCESS
                L8:     jge #0x38, L10, L9              ; >= clone
                L9:     jge #0x1, L15, L14              ; >= write
                L10:    jge #0x39, L16, L11             ; >= fork
                L11:    ld [16]                         ; args[0] low
                L12:    and #0x7e020000
                L13:    jeq #0x0, L14, L15
                L14:    ret #0x7fff0000                 ; ALLOW
                L15:    ret #0x50001                    ; ERRNO(1)
                L16:    ret #0x50026                    ; ERRNO(38)
                L17:    ld [0]                          ; nr
                L18:    jge #0x4, L20, L19              ; >= write
                L19:    jge #0x3, L26, L25              ; >= read
                L20:    jge #0x78, L21, L25             ; >= clone
                L21:    jge #0x79, L27, L22             ; >= setdomainname
                L22:    ld [16]                         ; args[0]
                L23:    and #0x7e020000
                L24:    jeq #0x0, L26, L25
                L25:    ret #0x50001                    ; ERRNO(1)
                L26:    ret #0x7fff0000                 ; ALLOW
                L27:    ret #0x50026                    ; ERRNO(38)
                """);
    }

    @Test
    void sixtyFourBitGreaterThanComparesHighWordThenLowWord() {
        SeccompProgram p = SeccompCompiler.compile(spec("SCMP_ACT_ALLOW",
                rule("write", "SCMP_ACT_KILL_PROCESS", arg(2, "GT", 0x1_00000000L))), Arch.AARCH64);
        assertThat(BpfDisassembler.toText(p.bpf())).isEqualTo("""
                L0:     ld [4]                          ; arch
                L1:     jeq #0xc00000b7, L3, L2         ; AUDIT_ARCH_AARCH64
                L2:     ret #0x80000000                 ; KILL_PROCESS
                L3:     ld [0]                          ; nr
                L4:     jeq #0x40, L5, L10              ; write
                L5:     ld [36]                         ; args[2] high
                L6:     jgt #0x1, L11, L7
                L7:     jeq #0x1, L8, L10
                L8:     ld [32]                         ; args[2] low
                L9:     jgt #0x0, L11, L10
                L10:    ret #0x7fff0000                 ; ALLOW
                L11:    ret #0x80000000                 ; KILL_PROCESS
                """);
    }

    @Test
    void aProfileWithoutRulesIsTheDefaultAction() {
        SeccompProgram p = SeccompCompiler.compile(spec("SCMP_ACT_LOG"), Arch.AARCH64);
        assertThat(BpfDisassembler.toText(p.bpf())).isEqualTo("""
                L0:     ld [4]                          ; arch
                L1:     jeq #0xc00000b7, L3, L2         ; AUDIT_ARCH_AARCH64
                L2:     ret #0x80000000                 ; KILL_PROCESS
                L3:     ld [0]                          ; nr
                L4:     ret #0x7ffc0000                 ; LOG
                """);
    }

    @Test
    void theProgramCopiesItsBytes() {
        SeccompProgram p = SeccompCompiler.compile(spec("SCMP_ACT_ALLOW"), Arch.X86_64);
        byte[] bytes = p.bpf();
        bytes[0] = 0;
        assertThat(p.bpf()[0]).isEqualTo((byte) 0x20);
        assertThat(p).isEqualTo(SeccompCompiler.compile(spec("SCMP_ACT_ALLOW"), Arch.X86_64));
        assertThat(p.toString()).isEqualTo("SeccompProgram[instructions=" + p.instructionCount() + ", flags=0, skipped=[]]");
    }
}
