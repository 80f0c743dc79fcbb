package dev.nido.security;

/**
 * Runs a classic seccomp BPF program on one {@code struct seccomp_data}, as the kernel would, to
 * check what a compiled filter returns. It knows the instructions the compiler emits (ld [k] as a
 * 32-bit word, and #k, ja, jeq/jgt/jge/jset #k, ret #k) and rejects any other, a misaligned or
 * out-of-range load, a jump past the end, and running off the end.
 */
final class BpfInterpreter {
    private BpfInterpreter() {
    }

    /** The return value of {@code program} for a call {@code nr} of {@code arch} with {@code args}. */
    static int run(byte[] program, int nr, int arch, long ip, long[] args) {
        int[] data = data(nr, arch, ip, args);
        int n = program.length / Bpf.INSN_SIZE;
        if (n == 0 || program.length % Bpf.INSN_SIZE != 0 || n > Bpf.MAX_INSNS) {
            throw new IllegalArgumentException("bad program length " + program.length);
        }
        int acc = 0;
        int pc = 0;
        while (pc < n) {
            int code = Bpf.code(program, pc);
            int k = Bpf.k(program, pc);
            int next = pc + 1;
            switch (code) {
                case Bpf.LD_W_ABS -> acc = load(data, k, pc);
                case Bpf.ALU_AND_K -> acc &= k;
                case Bpf.JA -> next = pc + 1 + k;
                case Bpf.JEQ_K -> next = branch(program, pc, acc == k);
                case Bpf.JGT_K -> next = branch(program, pc, Integer.compareUnsigned(acc, k) > 0);
                case Bpf.JGE_K -> next = branch(program, pc, Integer.compareUnsigned(acc, k) >= 0);
                case Bpf.JSET_K -> next = branch(program, pc, (acc & k) != 0);
                case Bpf.RET_K -> {
                    return k;
                }
                default -> throw new IllegalArgumentException("instruction " + pc + ": unsupported code 0x"
                        + Integer.toHexString(code));
            }
            if (next <= pc || next > n) {
                throw new IllegalArgumentException("instruction " + pc + ": jump to " + next + " out of the program");
            }
            pc = next;
        }
        throw new IllegalArgumentException("the program ends without ret");
    }

    /** A call with no arguments. */
    static int run(byte[] program, int nr, int arch) {
        return run(program, nr, arch, 0, new long[6]);
    }

    private static int branch(byte[] program, int pc, boolean taken) {
        return pc + 1 + (taken ? Bpf.jt(program, pc) : Bpf.jf(program, pc));
    }

    private static int load(int[] data, int k, int pc) {
        if (k < 0 || k % 4 != 0 || k >= Bpf.DATA_SIZE) {
            throw new IllegalArgumentException("instruction " + pc + ": load from offset " + k);
        }
        return data[k / 4];
    }

    /** struct seccomp_data as 16 little-endian words. */
    private static int[] data(int nr, int arch, long ip, long[] args) {
        if (args.length > 6) {
            throw new IllegalArgumentException("seccomp_data has 6 arguments, not " + args.length);
        }
        int[] words = new int[Bpf.DATA_SIZE / 4];
        words[0] = nr;
        words[1] = arch;
        words[2] = (int) ip;
        words[3] = (int) (ip >>> 32);
        for (int i = 0; i < args.length; i++) {
            words[4 + 2 * i] = (int) args[i];
            words[5 + 2 * i] = (int) (args[i] >>> 32);
        }
        return words;
    }
}
