package dev.nido.security;

import java.util.Arrays;

/**
 * What is known before each instruction of a seccomp filter: which {@code seccomp_data} word A
 * holds and which architecture the call is from. One forward pass suffices because classic BPF
 * only jumps forward. {@link BpfDisassembler} uses it to name syscalls in its comments.
 */
final class BpfFlow {
    /** Not reached yet. */
    private static final int UNSET = -2;
    /** Reached with different values. */
    static final int UNKNOWN = -1;

    private final int[] source;
    private final int[] arch;

    private BpfFlow(int n) {
        source = new int[n];
        arch = new int[n];
        Arrays.fill(source, UNSET);
        Arrays.fill(arch, UNSET);
    }

    /** The facts of {@code program}. */
    static BpfFlow of(byte[] program) {
        int n = program.length / Bpf.INSN_SIZE;
        BpfFlow flow = new BpfFlow(n);
        if (n > 0) {
            flow.merge(0, UNKNOWN, UNKNOWN);
        }
        for (int pc = 0; pc < n; pc++) {
            flow.step(program, pc);
        }
        return flow;
    }

    /** The offset in seccomp_data that A holds before instruction {@code pc}, or {@link #UNKNOWN}. */
    int source(int pc) {
        return Math.max(source[pc], UNKNOWN);
    }

    /** The architecture of the call before instruction {@code pc}, or null when not known. */
    Arch arch(int pc) {
        return arch[pc] < 0 ? null : Arch.values()[arch[pc]];
    }

    private void step(byte[] p, int pc) {
        int code = Bpf.code(p, pc);
        int k = Bpf.k(p, pc);
        int src = source(pc);
        int a = Math.max(arch[pc], UNKNOWN);
        switch (code) {
            case Bpf.LD_W_ABS -> merge(pc + 1, k, a);
            case Bpf.ALU_AND_K -> merge(pc + 1, UNKNOWN, a);
            case Bpf.JA -> merge(pc + 1 + k, src, a);
            case Bpf.JEQ_K, Bpf.JGT_K, Bpf.JGE_K, Bpf.JSET_K -> {
                merge(pc + 1 + Bpf.jt(p, pc), src, taken(code, k, src, a));
                merge(pc + 1 + Bpf.jf(p, pc), src, a);
            }
            default -> {
            }
        }
    }

    /** The architecture after a jump is taken: an arch check or the x32 split narrows it. */
    private static int taken(int code, int k, int src, int a) {
        if (src == Bpf.ARCH && code == Bpf.JEQ_K) {
            for (Arch arch : Arch.values()) {
                if (arch.auditArch() == k && arch != Arch.X32) {
                    return arch.ordinal();
                }
            }
        }
        if (src == Bpf.NR && code == Bpf.JSET_K && k == Arch.X32_SYSCALL_BIT && a == Arch.X86_64.ordinal()) {
            return Arch.X32.ordinal();
        }
        if (src == Bpf.NR && code == Bpf.JEQ_K && k == -1 && a == Arch.X32.ordinal()) {
            return Arch.X86_64.ordinal();
        }
        return a;
    }

    private void merge(int pc, int src, int a) {
        if (pc < 0 || pc >= source.length) {
            return;
        }
        source[pc] = source[pc] == UNSET || source[pc] == src ? src : UNKNOWN;
        arch[pc] = arch[pc] == UNSET || arch[pc] == a ? a : UNKNOWN;
    }
}
