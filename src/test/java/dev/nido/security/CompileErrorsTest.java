package dev.nido.security;

import static dev.nido.security.Specs.arg;
import static dev.nido.security.Specs.rule;
import static dev.nido.security.Specs.spec;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nido.oci.Seccomp;
import dev.nido.oci.SeccompArg;
import dev.nido.oci.SeccompSyscall;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What cannot be compiled is refused with the JSON path of the input and what was expected. */
class CompileErrorsTest {

    @Test
    void unknownOperator() {
        Seccomp s = spec("SCMP_ACT_ALLOW", rule("read", "SCMP_ACT_ALLOW"), rule("read", "SCMP_ACT_ALLOW"),
                rule("read", "SCMP_ACT_ALLOW"), rule("read", "SCMP_ACT_ERRNO", new SeccompArg(0L, 1L, null, "SCMP_CMP_FOO")));
        assertThatThrownBy(() -> SeccompCompiler.compile(s, Arch.X86_64)).isInstanceOf(ConfinementException.class)
                .hasMessage("linux.seccomp.syscalls[3].args[0].op: unknown operator \"SCMP_CMP_FOO\" (expected one of "
                        + "SCMP_CMP_NE, SCMP_CMP_LT, SCMP_CMP_LE, SCMP_CMP_EQ, SCMP_CMP_GE, SCMP_CMP_GT, SCMP_CMP_MASKED_EQ)");
    }

    @Test
    void unknownActions() {
        assertThatThrownBy(() -> SeccompCompiler.compile(spec("SCMP_ACT_MAYBE"), Arch.X86_64))
                .hasMessage("linux.seccomp.defaultAction: unknown action \"SCMP_ACT_MAYBE\" (expected one of "
                        + "SCMP_ACT_KILL, SCMP_ACT_KILL_THREAD, SCMP_ACT_KILL_PROCESS, SCMP_ACT_TRAP, SCMP_ACT_ERRNO, "
                        + "SCMP_ACT_TRACE, SCMP_ACT_LOG, SCMP_ACT_ALLOW, SCMP_ACT_NOTIFY)");
        assertThatThrownBy(() -> SeccompCompiler.compile(spec(null), Arch.X86_64))
                .hasMessage("linux.seccomp.defaultAction: must be set");
        assertThatThrownBy(() -> SeccompCompiler.compile(spec("SCMP_ACT_ALLOW", rule("read", "allow")), Arch.X86_64))
                .hasMessageStartingWith("linux.seccomp.syscalls[0].action: unknown action \"allow\" (expected one of ");
        assertThatThrownBy(() -> SeccompCompiler.compile(spec("SCMP_ACT_ALLOW", rule("read", null)), Arch.X86_64))
                .hasMessage("linux.seccomp.syscalls[0].action: must be set");
    }

    @Test
    void badArguments() {
        assertThatThrownBy(() -> compileArg(new SeccompArg(6L, 1L, null, "SCMP_CMP_EQ")))
                .hasMessage("linux.seccomp.syscalls[0].args[0].index: 6 is out of range (expected 0 to 5)");
        assertThatThrownBy(() -> compileArg(new SeccompArg(-1L, 1L, null, "SCMP_CMP_EQ")))
                .hasMessage("linux.seccomp.syscalls[0].args[0].index: -1 is out of range (expected 0 to 5)");
        assertThatThrownBy(() -> compileArg(new SeccompArg(null, 1L, null, "SCMP_CMP_EQ")))
                .hasMessage("linux.seccomp.syscalls[0].args[0].index: must be set");
        assertThatThrownBy(() -> compileArg(new SeccompArg(0L, null, null, "SCMP_CMP_EQ")))
                .hasMessage("linux.seccomp.syscalls[0].args[0].value: must be set");
        assertThatThrownBy(() -> compileArg(new SeccompArg(0L, 1L, null, null)))
                .hasMessage("linux.seccomp.syscalls[0].args[0].op: must be set");
    }

    @Test
    void errnoOutOfRange() {
        Seccomp s = new Seccomp("SCMP_ACT_ERRNO", 70000L, List.of(), List.of(), null, null, List.of());
        assertThatThrownBy(() -> SeccompCompiler.compile(s, Arch.X86_64))
                .hasMessage("linux.seccomp.defaultErrnoRet: 70000 is out of range (expected 0 to 65535)");
        Seccomp r = spec("SCMP_ACT_ALLOW", new SeccompSyscall(List.of("read"), "SCMP_ACT_ERRNO", -1L, List.of()));
        assertThatThrownBy(() -> SeccompCompiler.compile(r, Arch.X86_64))
                .hasMessage("linux.seccomp.syscalls[0].errnoRet: -1 is out of range (expected 0 to 65535)");
    }

    @Test
    void unknownFlagAndArchitecture() {
        Seccomp flag = new Seccomp("SCMP_ACT_ALLOW", null, List.of(), List.of("SECCOMP_FILTER_FLAG_LOG",
                "SECCOMP_FILTER_FLAG_TSYNC"), null, null, List.of());
        assertThatThrownBy(() -> SeccompCompiler.compile(flag, Arch.X86_64))
                .hasMessage("linux.seccomp.flags[1]: unknown flag \"SECCOMP_FILTER_FLAG_TSYNC\" (expected one of "
                        + "SECCOMP_FILTER_FLAG_LOG, SECCOMP_FILTER_FLAG_SPEC_ALLOW, SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV)");
        Seccomp arch = spec("SCMP_ACT_ALLOW", List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_VAX"));
        assertThatThrownBy(() -> SeccompCompiler.compile(arch, Arch.X86_64))
                .hasMessage("linux.seccomp.architectures[1]: unknown architecture \"SCMP_ARCH_VAX\" (expected one of "
                        + "SCMP_ARCH_X86_64, SCMP_ARCH_X86, SCMP_ARCH_X32, SCMP_ARCH_AARCH64 or another SCMP_ARCH_ name "
                        + "of the runtime-spec)");
    }

    @Test
    void moreThanBpfMaxInsnsIsRefused() {
        SeccompSyscall[] rules = new SeccompSyscall[1000];
        for (int i = 0; i < rules.length; i++) {
            rules[i] = rule("ioctl", "SCMP_ACT_ERRNO", arg(1, "EQ", i));
        }
        assertThatThrownBy(() -> SeccompCompiler.compile(spec("SCMP_ACT_ALLOW", rules), Arch.X86_64))
                .isInstanceOf(ConfinementException.class)
                .hasMessageStartingWith("linux.seccomp: the filter needs ")
                .hasMessageEndingWith(" BPF instructions, more than the kernel's limit of 4096 (BPF_MAXINSNS); "
                        + "use fewer rules with argument conditions");
    }

    private static SeccompProgram compileArg(SeccompArg arg) {
        return SeccompCompiler.compile(spec("SCMP_ACT_ALLOW", rule("read", "SCMP_ACT_ERRNO", arg)), Arch.X86_64);
    }
}
