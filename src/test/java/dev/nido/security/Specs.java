package dev.nido.security;

import dev.nido.oci.Seccomp;
import dev.nido.oci.SeccompArg;
import dev.nido.oci.SeccompSyscall;
import java.util.List;

/** Short ways to write {@code linux.seccomp} in tests. */
final class Specs {
    static final int ALLOW = 0x7fff0000;
    static final int KILL_PROCESS = 0x80000000;
    static final int KILL_THREAD = 0;
    static final int TRAP = 0x00030000;
    static final int LOG = 0x7ffc0000;
    static final int NOTIFY = 0x7fc00000;
    static final int AUDIT_X86_64 = 0xC000003E;
    static final int AUDIT_I386 = 0x40000003;
    static final int AUDIT_AARCH64 = 0xC00000B7;

    private Specs() {
    }

    static int errno(int errno) {
        return 0x00050000 | errno;
    }

    static Seccomp spec(String defaultAction, List<String> arches, SeccompSyscall... rules) {
        return new Seccomp(defaultAction, null, arches, List.of(), null, null, List.of(rules));
    }

    static Seccomp spec(String defaultAction, SeccompSyscall... rules) {
        return spec(defaultAction, List.of(), rules);
    }

    static SeccompSyscall rule(String name, String action, SeccompArg... args) {
        return new SeccompSyscall(List.of(name), action, null, List.of(args));
    }

    static SeccompSyscall errnoRule(List<String> names, long errno, SeccompArg... args) {
        return new SeccompSyscall(names, "SCMP_ACT_ERRNO", errno, List.of(args));
    }

    static SeccompArg arg(long index, String op, long value) {
        return new SeccompArg(index, value, null, "SCMP_CMP_" + op);
    }

    static SeccompArg masked(long index, long mask, long value) {
        return new SeccompArg(index, mask, value, "SCMP_CMP_MASKED_EQ");
    }

    /** The number of {@code name} on {@code arch}. */
    static int nr(Arch arch, String name) {
        int nr = SyscallTable.of(arch).number(name);
        if (nr < 0) {
            throw new IllegalArgumentException(arch + " has no syscall " + name);
        }
        return nr;
    }

    /** Runs {@code program} for {@code name} on {@code arch} with {@code args}. */
    static int run(SeccompProgram program, Arch arch, String name, long... args) {
        long[] six = new long[6];
        System.arraycopy(args, 0, six, 0, args.length);
        return BpfInterpreter.run(program.bpf(), nr(arch, name), arch.auditArch(), 0, six);
    }
}
