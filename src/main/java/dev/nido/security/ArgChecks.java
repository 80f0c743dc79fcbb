package dev.nido.security;

import dev.nido.security.Assembler.Label;

/**
 * Emits the test of one {@link ArgCondition}: code that jumps to {@code pass} or {@code fail}.
 * Classic BPF compares 32-bit words, so a 64-bit argument is compared high word first, then low
 * word; i386 passes 32-bit arguments, so there only the low words are compared and the value is
 * truncated to 32 bits (the kernel zero-extends the arguments of a 32-bit task).
 */
final class ArgChecks {
    private ArgChecks() {
    }

    static void emit(Assembler a, ArgCondition c, boolean wide, Label pass, Label fail) {
        int hi = (int) (c.value() >>> 32);
        int lo = (int) c.value();
        switch (c.op()) {
            case SCMP_CMP_EQ -> equal(a, c.index(), wide, hi, lo, pass, fail);
            case SCMP_CMP_NE -> equal(a, c.index(), wide, hi, lo, fail, pass);
            case SCMP_CMP_GT -> greater(a, c.index(), wide, hi, lo, Bpf.JGT_K, pass, fail);
            case SCMP_CMP_GE -> greater(a, c.index(), wide, hi, lo, Bpf.JGE_K, pass, fail);
            case SCMP_CMP_LE -> greater(a, c.index(), wide, hi, lo, Bpf.JGT_K, fail, pass);
            case SCMP_CMP_LT -> greater(a, c.index(), wide, hi, lo, Bpf.JGE_K, fail, pass);
            case SCMP_CMP_MASKED_EQ -> masked(a, c, wide, pass, fail);
        }
    }

    /** arg == value: to {@code yes}, else to {@code no}. */
    private static void equal(Assembler a, int index, boolean wide, int hi, int lo, Label yes, Label no) {
        if (wide) {
            a.load(Bpf.argHigh(index));
            a.jumpUnless(Bpf.JEQ_K, hi, no);
        }
        a.load(Bpf.argLow(index));
        a.jump(Bpf.JEQ_K, lo, yes, no);
    }

    /**
     * arg > value (lowCode JGT) or arg >= value (lowCode JGE), unsigned: the high words decide
     * unless they are equal, then the low words do.
     */
    private static void greater(Assembler a, int index, boolean wide, int hi, int lo, int lowCode,
                                Label yes, Label no) {
        if (wide) {
            a.load(Bpf.argHigh(index));
            a.jumpIf(Bpf.JGT_K, hi, yes);
            a.jumpUnless(Bpf.JEQ_K, hi, no);
        }
        a.load(Bpf.argLow(index));
        a.jump(lowCode, lo, yes, no);
    }

    /** (arg & value) == valueTwo, word by word; a high word whose mask and value are 0 always matches. */
    private static void masked(Assembler a, ArgCondition c, boolean wide, Label pass, Label fail) {
        int maskHi = (int) (c.value() >>> 32);
        int wantHi = (int) (c.valueTwo() >>> 32);
        if (wide && (maskHi != 0 || wantHi != 0)) {
            a.load(Bpf.argHigh(c.index()));
            a.and(maskHi);
            a.jumpUnless(Bpf.JEQ_K, wantHi, fail);
        }
        a.load(Bpf.argLow(c.index()));
        a.and((int) c.value());
        a.jump(Bpf.JEQ_K, (int) c.valueTwo(), pass, fail);
    }
}
