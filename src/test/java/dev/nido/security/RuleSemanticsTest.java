package dev.nido.security;

import static dev.nido.security.Specs.ALLOW;
import static dev.nido.security.Specs.AUDIT_AARCH64;
import static dev.nido.security.Specs.AUDIT_I386;
import static dev.nido.security.Specs.AUDIT_X86_64;
import static dev.nido.security.Specs.KILL_PROCESS;
import static dev.nido.security.Specs.KILL_THREAD;
import static dev.nido.security.Specs.LOG;
import static dev.nido.security.Specs.NOTIFY;
import static dev.nido.security.Specs.TRAP;
import static dev.nido.security.Specs.arg;
import static dev.nido.security.Specs.errno;
import static dev.nido.security.Specs.errnoRule;
import static dev.nido.security.Specs.nr;
import static dev.nido.security.Specs.rule;
import static dev.nido.security.Specs.run;
import static dev.nido.security.Specs.spec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nido.oci.Seccomp;
import dev.nido.oci.SeccompSyscall;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleSemanticsTest {

    @Test
    void actionsMapToSeccompReturnValues() {
        String[] actions = {"SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_TRAP",
            "SCMP_ACT_ERRNO", "SCMP_ACT_TRACE", "SCMP_ACT_LOG", "SCMP_ACT_ALLOW", "SCMP_ACT_NOTIFY"};
        int[] expected = {KILL_THREAD, KILL_THREAD, KILL_PROCESS, TRAP, errno(1), 0x7ff00001, LOG, ALLOW, NOTIFY};
        for (int i = 0; i < actions.length; i++) {
            SeccompProgram p = SeccompCompiler.compile(spec("SCMP_ACT_ALLOW", rule("mkdir", actions[i])), Arch.X86_64);
            assertThat(run(p, Arch.X86_64, "mkdir")).as(actions[i]).isEqualTo(expected[i]);
        }
        SeccompProgram p = SeccompCompiler.compile(spec("SCMP_ACT_ALLOW",
                new SeccompSyscall(List.of("mkdir"), "SCMP_ACT_ERRNO", 13L, List.of()),
                new SeccompSyscall(List.of("rmdir"), "SCMP_ACT_TRACE", 42L, List.of())), Arch.X86_64);
        assertThat(run(p, Arch.X86_64, "mkdir")).isEqualTo(errno(13));
        assertThat(run(p, Arch.X86_64, "rmdir")).isEqualTo(0x7ff00000 | 42);
    }

    @Test
    void theDefaultErrnoComesFromDefaultErrnoRet() {
        Seccomp s = new Seccomp("SCMP_ACT_ERRNO", 13L, List.of(), List.of(), null, null,
                List.of(rule("read", "SCMP_ACT_ALLOW"), rule("write", "SCMP_ACT_ALLOW")));
        SeccompProgram p = SeccompCompiler.compile(s, Arch.X86_64);
        assertThat(run(p, Arch.X86_64, "read")).isEqualTo(ALLOW);
        assertThat(run(p, Arch.X86_64, "close")).isEqualTo(errno(38));
        assertThat(BpfInterpreter.run(p.bpf(), 1, AUDIT_X86_64)).isEqualTo(ALLOW);
        assertThat(BpfInterpreter.run(p.bpf(), 2, AUDIT_X86_64)).isEqualTo(errno(38));
        s = new Seccomp("SCMP_ACT_ERRNO", 13L, List.of(), List.of(), null, null,
                List.of(rule("read", "SCMP_ACT_ALLOW"), rule("close", "SCMP_ACT_ALLOW")));
        p = SeccompCompiler.compile(s, Arch.X86_64);
        assertThat(run(p, Arch.X86_64, "write")).isEqualTo(errno(13));
    }

    @Test
    void theFirstMatchingRuleWinsElseTheDefault() {
        SeccompProgram p = SeccompCompiler.compile(spec("SCMP_ACT_ERRNO",
                errnoRule(List.of("ioctl"), 11, arg(1, "EQ", 0x5401)),
                errnoRule(List.of("ioctl"), 22, arg(1, "GE", 0x5400)),
                errnoRule(List.of("ioctl"), 33, arg(0, "EQ", 1)),
                rule("ioctl", "SCMP_ACT_LOG", arg(0, "EQ", 1)),
                rule("read", "SCMP_ACT_ALLOW")), Arch.X86_64);
        assertThat(run(p, Arch.X86_64, "ioctl", 1, 0x5401)).isEqualTo(errno(11));
        assertThat(run(p, Arch.X86_64, "ioctl", 1, 0x5402)).isEqualTo(errno(22));
        assertThat(run(p, Arch.X86_64, "ioctl", 1, 0x10)).isEqualTo(errno(33));
        assertThat(run(p, Arch.X86_64, "ioctl", 2, 0x10)).isEqualTo(errno(1));
    }

    @Test
    void aRuleWithoutArgumentsEndsTheSearch() {
        SeccompProgram p = SeccompCompiler.compile(spec("SCMP_ACT_ALLOW",
                errnoRule(List.of("ioctl"), 11, arg(1, "EQ", 7)),
                errnoRule(List.of("ioctl"), 22),
                errnoRule(List.of("ioctl"), 33, arg(1, "EQ", 8))), Arch.X86_64);
        assertThat(run(p, Arch.X86_64, "ioctl", 0, 7)).isEqualTo(errno(11));
        assertThat(run(p, Arch.X86_64, "ioctl", 0, 8)).isEqualTo(errno(22));
    }

    @Test
    void conditionsOnDifferentArgumentsAreAnded() {
        SeccompProgram p = SeccompCompiler.compile(spec("SCMP_ACT_ALLOW",
                errnoRule(List.of("kill"), 5, arg(0, "EQ", 1), arg(1, "EQ", 9))), Arch.X86_64);
        assertThat(run(p, Arch.X86_64, "kill", 1, 9)).isEqualTo(errno(5));
        assertThat(run(p, Arch.X86_64, "kill", 1, 15)).isEqualTo(ALLOW);
        assertThat(run(p, Arch.X86_64, "kill", 2, 9)).isEqualTo(ALLOW);
    }

    @Test
    void conditionsAllOnOneArgumentAreOredAsRuncDoes() {
        SeccompProgram p = SeccompCompiler.compile(spec("SCMP_ACT_ERRNO",
                rule("personality", "SCMP_ACT_ALLOW", arg(0, "EQ", 0), arg(0, "EQ", 8), arg(0, "EQ", 0xffffffffL)),
                rule("read", "SCMP_ACT_ALLOW")), Arch.X86_64);
        assertThat(run(p, Arch.X86_64, "personality", 0)).isEqualTo(ALLOW);
        assertThat(run(p, Arch.X86_64, "personality", 8)).isEqualTo(ALLOW);
        assertThat(run(p, Arch.X86_64, "personality", 0xffffffffL)).isEqualTo(ALLOW);
        assertThat(run(p, Arch.X86_64, "personality", 1)).isEqualTo(errno(1));
        SeccompProgram range = SeccompCompiler.compile(spec("SCMP_ACT_ALLOW",
                errnoRule(List.of("read"), 5, arg(2, "GT", 10), arg(2, "LT", 20))), Arch.X86_64);
        assertThat(run(range, Arch.X86_64, "read", 0, 0, 15)).as("either holds").isEqualTo(errno(5));
        assertThat(run(range, Arch.X86_64, "read", 0, 0, 5)).isEqualTo(errno(5));
    }

    @Test
    void callsFromOtherArchitecturesAreKilled() {
        SeccompProgram p = SeccompCompiler.compile(spec("SCMP_ACT_ALLOW"), Arch.X86_64);
        assertThat(BpfInterpreter.run(p.bpf(), 0, AUDIT_X86_64)).isEqualTo(ALLOW);
        assertThat(BpfInterpreter.run(p.bpf(), 0, AUDIT_I386)).isEqualTo(KILL_PROCESS);
        assertThat(BpfInterpreter.run(p.bpf(), 0, AUDIT_AARCH64)).isEqualTo(KILL_PROCESS);
        assertThat(BpfInterpreter.run(p.bpf(), 0, 0x12345678)).isEqualTo(KILL_PROCESS);
        assertThat(BpfInterpreter.run(p.bpf(), 0x40000000, AUDIT_X86_64)).as("x32 not listed").isEqualTo(KILL_PROCESS);
        assertThat(BpfInterpreter.run(p.bpf(), -1, AUDIT_X86_64)).as("nr -1 is x86_64").isEqualTo(ALLOW);
        assertThat(BpfInterpreter.run(p.bpf(), 0x80000000, AUDIT_X86_64)).isEqualTo(ALLOW);
    }

    @Test
    void listedArchitecturesThatCannotRunHereAreIgnored() {
        Seccomp s = spec("SCMP_ACT_ALLOW", List.of("SCMP_ARCH_X86", "SCMP_ARCH_ARM", "SCMP_ARCH_X86_64"),
                rule("mkdir", "SCMP_ACT_ERRNO"));
        SeccompProgram arm = SeccompCompiler.compile(s, Arch.AARCH64);
        assertThat(run(arm, Arch.AARCH64, "mkdirat")).isEqualTo(ALLOW);
        assertThat(BpfInterpreter.run(arm.bpf(), 11, AUDIT_I386)).isEqualTo(KILL_PROCESS);
        assertThat(BpfInterpreter.run(arm.bpf(), 0, AUDIT_X86_64)).isEqualTo(KILL_PROCESS);
        assertThat(arm.skipped()).containsExactly("mkdir");
        SeccompProgram x86 = SeccompCompiler.compile(s, Arch.X86_64);
        assertThat(run(x86, Arch.X86, "mkdir")).isEqualTo(errno(1));
        assertThat(run(x86, Arch.X86_64, "mkdir")).isEqualTo(errno(1));
        assertThat(x86.skipped()).isEmpty();
    }

    @Test
    void x32CallsGoToTheX32BlockWhenListed() {
        SeccompProgram p = SeccompCompiler.compile(spec("SCMP_ACT_ERRNO", List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X32"),
                rule("read", "SCMP_ACT_ALLOW"), rule("openat", "SCMP_ACT_ALLOW"), rule("execve", "SCMP_ACT_ALLOW")),
                Arch.X86_64);
        assertThat(run(p, Arch.X32, "read")).isEqualTo(ALLOW);
        assertThat(run(p, Arch.X32, "execve")).isEqualTo(ALLOW);
        assertThat(run(p, Arch.X32, "write")).isEqualTo(errno(1));
        assertThat(run(p, Arch.X86_64, "execve")).isEqualTo(ALLOW);
        assertThat(BpfInterpreter.run(p.bpf(), 0x40000000 | 59, AUDIT_X86_64)).as("x86_64 execve number on x32")
                .isEqualTo(errno(1));
        assertThat(BpfInterpreter.run(p.bpf(), 0x40000000 | 600, AUDIT_X86_64)).isEqualTo(errno(38));
    }

    @Test
    void x32SyscallsNewerThanTheProfileBelowTheLegacyBlockAreEnosys() {
        SeccompProgram p = SeccompCompiler.compile(spec("SCMP_ACT_ERRNO", List.of("SCMP_ARCH_X32"),
                rule("read", "SCMP_ACT_ALLOW"), rule("openat2", "SCMP_ACT_ALLOW"), rule("execve", "SCMP_ACT_ALLOW")),
                Arch.X86_64);
        assertThat(run(p, Arch.X32, "openat2")).isEqualTo(ALLOW);
        assertThat(run(p, Arch.X32, "write")).isEqualTo(errno(1));
        assertThat(run(p, Arch.X32, "cachestat")).as("newer than openat2 (437)").isEqualTo(errno(38));
        assertThat(run(p, Arch.X32, "rt_sigaction")).as("legacy x32 block, 512").isEqualTo(errno(1));
        assertThat(run(p, Arch.X32, "execveat")).as("after execve (520)").isEqualTo(errno(38));
    }

    @Test
    void syscallsAboveTheProfileGetEnosysUnlessTheDefaultAllows() {
        Seccomp deny = spec("SCMP_ACT_KILL_PROCESS", rule("read", "SCMP_ACT_ALLOW"), rule("openat", "SCMP_ACT_ALLOW"));
        SeccompProgram p = SeccompCompiler.compile(deny, Arch.X86_64);
        assertThat(run(p, Arch.X86_64, "openat")).isEqualTo(ALLOW);
        assertThat(run(p, Arch.X86_64, "write")).isEqualTo(KILL_PROCESS);
        assertThat(run(p, Arch.X86_64, "openat2")).isEqualTo(errno(38));
        assertThat(run(p, Arch.X86_64, "clone3")).as("above openat").isEqualTo(errno(38));
        assertThat(BpfInterpreter.run(p.bpf(), 1000, AUDIT_X86_64)).isEqualTo(errno(38));
        SeccompProgram allow = SeccompCompiler.compile(spec("SCMP_ACT_ALLOW", rule("read", "SCMP_ACT_KILL")), Arch.X86_64);
        assertThat(BpfInterpreter.run(allow.bpf(), 1000, AUDIT_X86_64)).isEqualTo(ALLOW);
        SeccompProgram log = SeccompCompiler.compile(spec("SCMP_ACT_LOG", rule("read", "SCMP_ACT_ALLOW")), Arch.X86_64);
        assertThat(BpfInterpreter.run(log.bpf(), 1000, AUDIT_X86_64)).isEqualTo(LOG);
    }

    @Test
    void clone3IsEnosysWhenUnnamedAndTheDefaultIsErrno() {
        Seccomp s = spec("SCMP_ACT_ERRNO", rule("read", "SCMP_ACT_ALLOW"), rule("file_setattr", "SCMP_ACT_ALLOW"));
        SeccompProgram p = SeccompCompiler.compile(s, Arch.X86_64);
        assertThat(run(p, Arch.X86_64, "clone3")).isEqualTo(errno(38));
        assertThat(run(p, Arch.X86_64, "clone")).isEqualTo(errno(1));
        SeccompProgram named = SeccompCompiler.compile(spec("SCMP_ACT_ERRNO", rule("read", "SCMP_ACT_ALLOW"),
                rule("file_setattr", "SCMP_ACT_ALLOW"), rule("clone3", "SCMP_ACT_TRAP")), Arch.X86_64);
        assertThat(run(named, Arch.X86_64, "clone3")).isEqualTo(TRAP);
        SeccompProgram kill = SeccompCompiler.compile(spec("SCMP_ACT_KILL", rule("read", "SCMP_ACT_ALLOW"),
                rule("file_setattr", "SCMP_ACT_ALLOW")), Arch.X86_64);
        assertThat(run(kill, Arch.X86_64, "clone3")).isEqualTo(KILL_THREAD);
    }

    @Test
    void unknownNamesAreSkippedAndListedOnce() {
        SeccompProgram p = SeccompCompiler.compile(spec("SCMP_ACT_ALLOW",
                new SeccompSyscall(List.of("frobnicate", "mkdir", "open"), "SCMP_ACT_ERRNO", null, List.of()),
                rule("frobnicate", "SCMP_ACT_KILL"), rule("socketcall", "SCMP_ACT_KILL")), Arch.AARCH64);
        assertThat(p.skipped()).containsExactly("frobnicate", "mkdir", "open", "socketcall");
        assertThat(run(p, Arch.AARCH64, "mkdirat")).isEqualTo(ALLOW);
    }

    @Test
    void flagsAreTheSeccompFilterFlags() {
        Seccomp s = new Seccomp("SCMP_ACT_ALLOW", null, List.of(), List.of("SECCOMP_FILTER_FLAG_LOG",
                "SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"), null, null, List.of());
        assertThat(SeccompCompiler.compile(s, Arch.X86_64).flags()).isEqualTo(2 | 4 | 32);
        Seccomp notify = new Seccomp("SCMP_ACT_ALLOW", null, List.of(), List.of(), "/run/l.sock", null,
                List.of(rule("mount", "SCMP_ACT_NOTIFY")));
        SeccompProgram p = SeccompCompiler.compile(notify, Arch.X86_64);
        assertThat(p.flags()).isEqualTo(8);
        assertThat(p.wantsListener()).isTrue();
        assertThat(run(p, Arch.X86_64, "mount")).isEqualTo(NOTIFY);
    }

    @Test
    void aSyscallNamedTwiceInOneRuleIsCheckedOnce() {
        SeccompProgram once = SeccompCompiler.compile(spec("SCMP_ACT_ALLOW",
                errnoRule(List.of("kill"), 5, arg(0, "EQ", 1))), Arch.X86_64);
        SeccompProgram twice = SeccompCompiler.compile(spec("SCMP_ACT_ALLOW",
                errnoRule(List.of("kill", "kill"), 5, arg(0, "EQ", 1))), Arch.X86_64);
        assertThat(twice).isEqualTo(once);
        assertThat(nr(Arch.X86_64, "kill")).isEqualTo(62);
    }
}
