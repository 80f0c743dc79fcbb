package dev.nido.security;

import static dev.nido.security.Specs.ALLOW;
import static dev.nido.security.Specs.AUDIT_X86_64;
import static dev.nido.security.Specs.KILL_PROCESS;
import static dev.nido.security.Specs.errno;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nido.oci.Capability;
import dev.nido.oci.Seccomp;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The default profile, compiled and run call by call through {@link BpfInterpreter}. */
class DefaultSeccompTest {
    /** Docker's default capability set. */
    static final Set<Capability> DEFAULT_CAPS = EnumSet.of(Capability.CAP_CHOWN, Capability.CAP_DAC_OVERRIDE,
            Capability.CAP_FSETID, Capability.CAP_FOWNER, Capability.CAP_MKNOD, Capability.CAP_NET_RAW,
            Capability.CAP_SETGID, Capability.CAP_SETUID, Capability.CAP_SETFCAP, Capability.CAP_SETPCAP,
            Capability.CAP_NET_BIND_SERVICE, Capability.CAP_SYS_CHROOT, Capability.CAP_KILL, Capability.CAP_AUDIT_WRITE);
    static final Set<Capability> ADMIN_CAPS = EnumSet.copyOf(DEFAULT_CAPS);
    private static final int EPERM = errno(1);
    private static final int ENOSYS = errno(38);
    private static final long SIGCHLD = 17;
    private static final long CLONE_NEWUSER = 0x10000000L;
    private static final long CLONE_NEWNS = 0x00020000L;
    private static final long CLONE_THREAD_FLAGS = 0x003d0f00L; // what pthread_create passes

    static {
        ADMIN_CAPS.add(Capability.CAP_SYS_ADMIN);
    }

    /** One call and what the filter must return without and with CAP_SYS_ADMIN. */
    private record Call(Arch arch, String name, long[] args, int plain, int admin) {
        static Call of(Arch arch, String name, int plain, int admin, long... args) {
            return new Call(arch, name, args, plain, admin);
        }
    }

    private static final List<Call> X86_64_CALLS = List.of(
            Call.of(Arch.X86_64, "read", ALLOW, ALLOW),
            Call.of(Arch.X86_64, "openat", ALLOW, ALLOW),
            Call.of(Arch.X86_64, "execve", ALLOW, ALLOW),
            Call.of(Arch.X86_64, "statx", ALLOW, ALLOW),
            Call.of(Arch.X86_64, "rseq", ALLOW, ALLOW),
            Call.of(Arch.X86_64, "close_range", ALLOW, ALLOW),
            Call.of(Arch.X86_64, "landlock_create_ruleset", ALLOW, ALLOW),
            Call.of(Arch.X86_64, "fchmodat2", ALLOW, ALLOW),
            Call.of(Arch.X86_64, "map_shadow_stack", ALLOW, ALLOW),
            Call.of(Arch.X86_64, "arch_prctl", ALLOW, ALLOW),
            Call.of(Arch.X86_64, "ptrace", ALLOW, ALLOW),
            Call.of(Arch.X86_64, "chroot", ALLOW, ALLOW),
            Call.of(Arch.X86_64, "mount", EPERM, ALLOW),
            Call.of(Arch.X86_64, "umount2", EPERM, ALLOW),
            Call.of(Arch.X86_64, "unshare", EPERM, ALLOW),
            Call.of(Arch.X86_64, "setns", EPERM, ALLOW),
            Call.of(Arch.X86_64, "pivot_root", EPERM, ALLOW),
            Call.of(Arch.X86_64, "name_to_handle_at", EPERM, ALLOW),
            Call.of(Arch.X86_64, "open_by_handle_at", EPERM, EPERM),
            Call.of(Arch.X86_64, "keyctl", EPERM, EPERM),
            Call.of(Arch.X86_64, "add_key", EPERM, EPERM),
            Call.of(Arch.X86_64, "request_key", EPERM, EPERM),
            Call.of(Arch.X86_64, "kexec_load", EPERM, EPERM),
            Call.of(Arch.X86_64, "kexec_file_load", EPERM, EPERM),
            Call.of(Arch.X86_64, "init_module", EPERM, EPERM),
            Call.of(Arch.X86_64, "reboot", EPERM, EPERM),
            Call.of(Arch.X86_64, "userfaultfd", EPERM, EPERM),
            Call.of(Arch.X86_64, "memfd_secret", EPERM, EPERM),
            Call.of(Arch.X86_64, "bpf", EPERM, ALLOW),
            Call.of(Arch.X86_64, "perf_event_open", EPERM, ALLOW),
            Call.of(Arch.X86_64, "process_vm_readv", EPERM, EPERM),
            Call.of(Arch.X86_64, "settimeofday", EPERM, EPERM),
            Call.of(Arch.X86_64, "iopl", EPERM, EPERM),
            Call.of(Arch.X86_64, "io_uring_setup", ENOSYS, ENOSYS),
            Call.of(Arch.X86_64, "clone", ALLOW, ALLOW, SIGCHLD),
            Call.of(Arch.X86_64, "clone", ALLOW, ALLOW, CLONE_THREAD_FLAGS),
            Call.of(Arch.X86_64, "clone", EPERM, ALLOW, CLONE_NEWUSER | SIGCHLD),
            Call.of(Arch.X86_64, "clone", EPERM, ALLOW, CLONE_NEWNS),
            Call.of(Arch.X86_64, "clone3", ENOSYS, ALLOW),
            Call.of(Arch.X86_64, "personality", ALLOW, ALLOW, 8),
            Call.of(Arch.X86_64, "personality", ALLOW, ALLOW, 0),
            Call.of(Arch.X86_64, "personality", ALLOW, ALLOW, 0xffffffffL),
            Call.of(Arch.X86_64, "personality", EPERM, EPERM, 1),
            Call.of(Arch.X86_64, "personality", EPERM, EPERM, 0x1_00000008L),
            Call.of(Arch.X86_64, "socket", EPERM, EPERM, 40),
            Call.of(Arch.X86_64, "socket", ALLOW, ALLOW, 2),
            Call.of(Arch.X86_64, "socket", ALLOW, ALLOW, 0x1_00000028L),
            Call.of(Arch.X86, "execve", ALLOW, ALLOW),
            Call.of(Arch.X86, "socketcall", ALLOW, ALLOW),
            Call.of(Arch.X86, "clock_gettime64", ALLOW, ALLOW),
            Call.of(Arch.X86, "set_thread_area", ALLOW, ALLOW),
            Call.of(Arch.X86, "mount", EPERM, ALLOW),
            Call.of(Arch.X86, "clone", EPERM, ALLOW, CLONE_NEWUSER),
            Call.of(Arch.X86, "clone", ALLOW, ALLOW, SIGCHLD),
            Call.of(Arch.X86, "clone3", ENOSYS, ALLOW),
            Call.of(Arch.X86, "vm86", EPERM, EPERM),
            Call.of(Arch.X32, "read", ALLOW, ALLOW),
            Call.of(Arch.X32, "execve", ALLOW, ALLOW),
            Call.of(Arch.X32, "mount", EPERM, ALLOW),
            Call.of(Arch.X32, "clone3", ENOSYS, ALLOW));

    @Test
    void x86_64CallsGetTheExpectedActions() {
        SeccompProgram plain = compile(DEFAULT_CAPS, Arch.X86_64);
        SeccompProgram admin = compile(ADMIN_CAPS, Arch.X86_64);
        for (Call c : X86_64_CALLS) {
            assertThat(Specs.run(plain, c.arch(), c.name(), c.args())).as("%s %s without CAP_SYS_ADMIN", c.arch(), c.name())
                    .isEqualTo(c.plain());
            assertThat(Specs.run(admin, c.arch(), c.name(), c.args())).as("%s %s with CAP_SYS_ADMIN", c.arch(), c.name())
                    .isEqualTo(c.admin());
        }
    }

    @Test
    void numbersAboveTheTableAndOtherArchitectures() {
        SeccompProgram p = compile(DEFAULT_CAPS, Arch.X86_64);
        assertThat(BpfInterpreter.run(p.bpf(), 1000, AUDIT_X86_64)).isEqualTo(ENOSYS);
        assertThat(BpfInterpreter.run(p.bpf(), 1000, Specs.AUDIT_I386)).isEqualTo(ENOSYS);
        assertThat(BpfInterpreter.run(p.bpf(), 0x40000000 | 1000, AUDIT_X86_64)).isEqualTo(ENOSYS);
        assertThat(BpfInterpreter.run(p.bpf(), 0, Specs.AUDIT_AARCH64)).isEqualTo(KILL_PROCESS);
        assertThat(BpfInterpreter.run(p.bpf(), 0, 0xdeadbeef)).isEqualTo(KILL_PROCESS);
    }

    @Test
    void theAarch64Profile() {
        Seccomp s = DefaultSeccomp.profile(DEFAULT_CAPS, Arch.AARCH64);
        assertThat(s.architectures()).containsExactly("SCMP_ARCH_AARCH64");
        assertThat(s.syscalls().get(0).names()).contains("openat", "execve")
                .doesNotContain("open", "fork", "stat", "socketcall", "arch_prctl", "mount");
        SeccompProgram p = SeccompCompiler.compile(s, Arch.AARCH64);
        assertThat(p.skipped()).isEmpty();
        assertThat(Specs.run(p, Arch.AARCH64, "openat")).isEqualTo(ALLOW);
        assertThat(Specs.run(p, Arch.AARCH64, "execve")).isEqualTo(ALLOW);
        assertThat(Specs.run(p, Arch.AARCH64, "clone3")).isEqualTo(ENOSYS);
        assertThat(Specs.run(p, Arch.AARCH64, "clone", CLONE_NEWUSER)).isEqualTo(EPERM);
        assertThat(Specs.run(p, Arch.AARCH64, "clone", SIGCHLD)).isEqualTo(ALLOW);
        assertThat(Specs.run(p, Arch.AARCH64, "mount")).isEqualTo(EPERM);
        assertThat(BpfInterpreter.run(p.bpf(), 1000, Specs.AUDIT_AARCH64)).isEqualTo(ENOSYS);
        assertThat(BpfInterpreter.run(p.bpf(), 0, AUDIT_X86_64)).isEqualTo(KILL_PROCESS);
    }

    @Test
    void theProfileIsDockerShaped() {
        Seccomp s = DefaultSeccomp.profile(DEFAULT_CAPS, Arch.X86_64);
        assertThat(s.defaultAction()).isEqualTo("SCMP_ACT_ERRNO");
        assertThat(s.defaultErrnoRet()).isEqualTo(1L);
        assertThat(s.architectures()).containsExactly("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32");
        assertThat(s.syscalls().get(0).action()).isEqualTo("SCMP_ACT_ALLOW");
        assertThat(s.syscalls().get(0).names()).contains("read", "socketcall", "chroot")
                .doesNotContain("mount", "clone", "clone3", "socket", "personality", "keyctl", "reboot")
                .doesNotHaveDuplicates();
        assertThat(DefaultSeccomp.profile(EnumSet.noneOf(Capability.class), Arch.X86_64).syscalls().get(0).names())
                .doesNotContain("chroot");
        assertThat(DefaultSeccomp.profile(EnumSet.of(Capability.CAP_SYS_BOOT, Capability.CAP_SYS_MODULE,
                Capability.CAP_SYS_TIME, Capability.CAP_BPF), Arch.X86_64).syscalls().get(0).names())
                .contains("reboot", "init_module", "finit_module", "delete_module", "settimeofday", "clock_settime", "bpf")
                .doesNotContain("perf_event_open", "mount");
    }

    @Test
    void everyGroupParsesAndNamesKnownSyscalls() {
        List<SyscallGroup> groups = SyscallGroup.all();
        assertThat(groups).extracting(SyscallGroup::name).contains("files", "admin", "boot", "bpf").doesNotHaveDuplicates();
        for (SyscallGroup g : groups) {
            assertThat(g.names()).as(g.name()).isNotEmpty();
            for (String name : g.names()) {
                boolean known = false;
                for (Arch a : Arch.values()) {
                    known |= SyscallTable.of(a).number(name) >= 0;
                }
                assertThat(known).as("%s in [%s]", name, g.name()).isTrue();
            }
        }
        assertThat(SyscallGroup.parse("# x\n[a CAP_KILL CAP_BPF]\nread  write\n\n[b]\nopen\n")).containsExactly(
                new SyscallGroup("a", List.of(Capability.CAP_KILL, Capability.CAP_BPF), List.of("read", "write")),
                new SyscallGroup("b", List.of(), List.of("open")));
    }

    @Test
    void theCompiledDefaultProfileFitsEasily() {
        for (Arch arch : List.of(Arch.X86_64, Arch.AARCH64)) {
            for (Set<Capability> caps : List.of(DEFAULT_CAPS, ADMIN_CAPS, EnumSet.allOf(Capability.class))) {
                SeccompProgram p = compile(caps, arch);
                assertThat(p.instructionCount()).isLessThan(1024);
                assertThat(p.skipped()).isEmpty();
                assertThat(p.flags()).isZero();
            }
        }
        SeccompProgram p = compile(DEFAULT_CAPS, Arch.X86_64);
        long start = System.nanoTime();
        int rounds = 20;
        for (int i = 0; i < rounds; i++) {
            compile(DEFAULT_CAPS, Arch.X86_64);
        }
        long micros = (System.nanoTime() - start) / 1000 / rounds;
        System.out.println("default seccomp profile: x86_64 " + p.instructionCount() + " instructions, aarch64 "
                + compile(DEFAULT_CAPS, Arch.AARCH64).instructionCount() + "; profile + compile " + micros
                + " us warm (cold: run ColdCompile)");
    }

    private static SeccompProgram compile(Set<Capability> caps, Arch arch) {
        return SeccompCompiler.compile(DefaultSeccomp.profile(caps, arch), arch);
    }
}
