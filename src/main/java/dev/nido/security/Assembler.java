package dev.nido.security;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds a classic BPF program with symbolic forward jumps. Conditional jumps reach at most 255
 * instructions ({@code jt}/{@code jf} are one byte); {@link #assemble()} routes a farther one
 * through a {@code ja} (32-bit offset) placed right after it, repeating until every jump fits.
 */
final class Assembler {
    /** A place in the program; bound by {@link #mark} before or after the jumps that name it. */
    static final class Label {
        private int position = -1;
    }

    /**
     * One instruction, or a label mark ({@code code} {@link #MARK}, the label in {@code yes}).
     * A plain class rather than a record per kind: each class costs class loading on every
     * container start, and this is the only place the kinds are told apart.
     */
    private static final class Insn {
        static final int MARK = -1;
        final int code;
        final int k;
        Label yes;
        Label no;

        Insn(int code, int k, Label yes, Label no) {
            this.code = code;
            this.k = k;
            this.yes = yes;
            this.no = no;
        }

        boolean isMark() {
            return code == MARK;
        }

        boolean isConditional() {
            return no != null;
        }
    }

    private List<Insn> insns = new ArrayList<>(512);

    Label label() {
        return new Label();
    }

    /** Binds {@code label} to the next instruction emitted. */
    void mark(Label label) {
        insns.add(new Insn(Insn.MARK, 0, label, null));
    }

    /** {@code ld [offset]}. */
    void load(int offset) {
        insns.add(new Insn(Bpf.LD_W_ABS, offset, null, null));
    }

    /** {@code and #k}. */
    void and(int k) {
        insns.add(new Insn(Bpf.ALU_AND_K, k, null, null));
    }

    /** A conditional jump: to {@code yes} when {@code A <op> k}, else to {@code no}. */
    void jump(int code, int k, Label yes, Label no) {
        insns.add(new Insn(code, k, yes, no));
    }

    /** A conditional jump to {@code yes}; when false it goes on with the next instruction. */
    void jumpIf(int code, int k, Label yes) {
        Label next = label();
        jump(code, k, yes, next);
        mark(next);
    }

    /** A conditional jump to {@code no} when false; when true it goes on with the next instruction. */
    void jumpUnless(int code, int k, Label no) {
        Label next = label();
        jump(code, k, next, no);
        mark(next);
    }

    /** {@code ret #k}. */
    void ret(int k) {
        insns.add(new Insn(Bpf.RET_K, k, null, null));
    }

    /** The program as {@code struct sock_filter[]}, with far jumps relaxed. */
    byte[] assemble() {
        int count = layout();
        while (relax()) {
            count = layout();
        }
        if (count > Bpf.MAX_INSNS) {
            throw new ConfinementException("linux.seccomp: the filter needs " + count
                    + " BPF instructions, more than the kernel's limit of 4096 (BPF_MAXINSNS);"
                    + " use fewer rules with argument conditions");
        }
        return encode(count);
    }

    /** Gives every label its position; returns the instruction count. */
    private int layout() {
        int pc = 0;
        for (Insn insn : insns) {
            if (insn.isMark()) {
                insn.yes.position = pc;
            } else {
                pc++;
            }
        }
        return pc;
    }

    /** Inserts a {@code ja} after every conditional jump that cannot reach; true if any was. */
    private boolean relax() {
        List<Insn> out = null;
        int pc = 0;
        for (int i = 0; i < insns.size(); i++) {
            Insn insn = insns.get(i);
            if (insn.isConditional() && (far(insn.yes, pc) || far(insn.no, pc))) {
                if (out == null) {
                    out = new ArrayList<>(insns.subList(0, i));
                }
                trampoline(insn, pc, out);
            } else if (out != null) {
                out.add(insn);
            }
            if (!insn.isMark()) {
                pc++;
            }
        }
        if (out != null) {
            insns = out;
        }
        return out != null;
    }

    /** The jump, then {@code ja} to each target it cannot reach, which it jumps to instead. */
    private static void trampoline(Insn jump, int pc, List<Insn> out) {
        Label yes = jump.yes;
        Label no = jump.no;
        boolean farYes = far(yes, pc);
        boolean farNo = far(no, pc);
        out.add(jump);
        if (farYes) {
            jump.yes = new Label();
            out.add(new Insn(Insn.MARK, 0, jump.yes, null));
            out.add(new Insn(Bpf.JA, 0, yes, null));
        }
        if (farNo) {
            jump.no = new Label();
            out.add(new Insn(Insn.MARK, 0, jump.no, null));
            out.add(new Insn(Bpf.JA, 0, no, null));
        }
    }

    private static boolean far(Label target, int pc) {
        return target.position - pc - 1 > Bpf.MAX_SHORT_JUMP;
    }

    private byte[] encode(int count) {
        byte[] program = new byte[count * Bpf.INSN_SIZE];
        int pc = 0;
        for (Insn insn : insns) {
            if (insn.isMark()) {
                continue;
            }
            if (insn.isConditional()) {
                Bpf.put(program, pc, insn.code, offset(insn.yes, pc), offset(insn.no, pc), insn.k);
            } else if (insn.code == Bpf.JA) {
                Bpf.put(program, pc, Bpf.JA, 0, 0, offset(insn.yes, pc));
            } else {
                Bpf.put(program, pc, insn.code, 0, 0, insn.k);
            }
            pc++;
        }
        return program;
    }

    private static int offset(Label target, int pc) {
        if (target.position < 0) {
            throw new IllegalStateException("seccomp compiler: a jump to a label that was never placed");
        }
        int offset = target.position - pc - 1;
        if (offset < 0) {
            throw new IllegalStateException("seccomp compiler: a backward jump at instruction " + pc);
        }
        return offset;
    }
}
