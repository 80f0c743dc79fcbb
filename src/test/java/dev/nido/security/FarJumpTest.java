package dev.nido.security;

import static dev.nido.security.Specs.ALLOW;
import static dev.nido.security.Specs.arg;
import static dev.nido.security.Specs.errno;
import static dev.nido.security.Specs.errnoRule;
import static dev.nido.security.Specs.spec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nido.oci.SeccompSyscall;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Programs longer than a one-byte jump reaches: conditional jumps go through {@code ja}. */
class FarJumpTest {

    @Test
    void farTargetsAreReachedThroughJa() {
        List<SeccompSyscall> rules = new ArrayList<>();
        List<String> names = new ArrayList<>();
        SyscallTable table = SyscallTable.of(Arch.X86_64);
        for (int nr = 0; nr < 300 && names.size() < 60; nr++) {
            String name = table.name(nr);
            if (name != null) {
                names.add(name);
                rules.add(errnoRule(List.of(name), 1 + names.size() % 100, arg(1, "EQ", nr), arg(2, "GT", 7)));
            }
        }
        SeccompProgram p = SeccompCompiler.compile(spec("SCMP_ACT_ALLOW", List.of("SCMP_ARCH_X86", "SCMP_ARCH_X32"),
                rules.toArray(SeccompSyscall[]::new)), Arch.X86_64);
        assertThat(p.instructionCount()).isGreaterThan(3 * 255).isLessThanOrEqualTo(4096);
        assertThat(BpfDisassembler.toText(p.bpf())).contains("ja L");
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            for (Arch arch : new Arch[] {Arch.X86_64, Arch.X32, Arch.X86}) {
                if (SyscallTable.of(arch).number(name) < 0) {
                    continue;
                }
                int nr = Specs.nr(Arch.X86_64, name);
                assertThat(Specs.run(p, arch, name, 0, nr, 8)).as("%s %s", arch, name).isEqualTo(errno(1 + (i + 1) % 100));
                assertThat(Specs.run(p, arch, name, 0, nr, 7)).as("%s %s", arch, name).isEqualTo(ALLOW);
                assertThat(Specs.run(p, arch, name, 0, nr + 1, 8)).as("%s %s", arch, name).isEqualTo(ALLOW);
            }
        }
    }

    @Test
    void everyJumpOfTheAssemblerFitsItsField() {
        Assembler a = new Assembler();
        Assembler.Label far = a.label();
        Assembler.Label near = a.label();
        a.load(Bpf.NR);
        a.jump(Bpf.JEQ_K, 1, far, near);
        a.mark(near);
        for (int i = 0; i < 300; i++) {
            a.ret(i);
        }
        a.mark(far);
        a.ret(ALLOW);
        byte[] program = a.assemble();
        assertThat(program.length / 8).isEqualTo(1 + 2 + 300 + 1);
        assertThat(BpfInterpreter.run(program, 1, 0)).isEqualTo(ALLOW);
        assertThat(BpfInterpreter.run(program, 2, 0)).isZero();
        assertThat(BpfDisassembler.toText(program)).startsWith("""
                L0:     ld [0]                          ; nr
                L1:     jeq #0x1, L2, L3
                L2:     ja L303
                L3:     ret #0x0                        ; KILL_THREAD
                """);
    }
}
