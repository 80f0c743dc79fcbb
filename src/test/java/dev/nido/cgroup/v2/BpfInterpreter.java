package dev.nido.cgroup.v2;

import java.util.List;

/**
 * Runs the few eBPF instructions {@link DeviceProgram} emits on a {@code bpf_cgroup_dev_ctx}, so
 * tests can check a program's decisions without the kernel. Anything else is refused, as are
 * jumps out of the program and falling off its end (the verifier refuses those too).
 */
final class BpfInterpreter {
    private BpfInterpreter() {
    }

    /** The program's verdict (r0) for one access: type, access bits as BPF_DEVCG_*. */
    static long run(byte[] program, int type, int access, int major, int minor) {
        List<Bpf> insns = Bpf.decode(program);
        int[] ctx = {access << 16 | type, major, minor};
        long[] r = new long[11];
        int pc = 0;
        for (int steps = 0; steps < 10_000; steps++) {
            if (pc < 0 || pc >= insns.size()) {
                throw new IllegalStateException("pc " + pc + " outside the program");
            }
            Bpf i = insns.get(pc++);
            switch (i.code()) {
                case Bpf.BPF_LDX | Bpf.BPF_W | Bpf.BPF_MEM -> {
                    if (i.src() != Bpf.R1 || i.off() % 4 != 0 || i.off() < 0 || i.off() > 8) {
                        throw new IllegalStateException("load outside the context: " + i);
                    }
                    r[i.dst()] = ctx[i.off() / 4] & 0xffffffffL;
                }
                case Bpf.BPF_ALU | Bpf.BPF_MOV | Bpf.BPF_K -> r[i.dst()] = i.imm() & 0xffffffffL;
                case Bpf.BPF_ALU | Bpf.BPF_MOV | Bpf.BPF_X -> r[i.dst()] = r[i.src()] & 0xffffffffL;
                case Bpf.BPF_ALU | Bpf.BPF_AND | Bpf.BPF_K -> r[i.dst()] = (r[i.dst()] & i.imm()) & 0xffffffffL;
                case Bpf.BPF_ALU | Bpf.BPF_RSH | Bpf.BPF_K -> r[i.dst()] = (r[i.dst()] & 0xffffffffL) >>> (i.imm() & 31);
                case Bpf.BPF_JMP | Bpf.BPF_JNE | Bpf.BPF_K -> pc += r[i.dst()] != (long) i.imm() ? i.off() : 0;
                case Bpf.BPF_JMP | Bpf.BPF_JNE | Bpf.BPF_X -> pc += r[i.dst()] != r[i.src()] ? i.off() : 0;
                case Bpf.BPF_JMP | Bpf.BPF_EXIT -> {
                    return r[Bpf.R0];
                }
                default -> throw new IllegalStateException("instruction not interpreted: " + i);
            }
        }
        throw new IllegalStateException("program does not end");
    }
}
