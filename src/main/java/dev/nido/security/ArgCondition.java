package dev.nido.security;

import dev.nido.oci.SeccompArg;

/**
 * One compiled argument condition: {@code args[index] op value}, or for MASKED_EQ
 * {@code (args[index] & value) == valueTwo}. Values are the uint64 bits.
 */
record ArgCondition(int index, ArgOp op, long value, long valueTwo) {
    /** The highest argument index: seccomp_data has six. */
    static final int MAX_INDEX = 5;

    /** Reads {@code arg}, condition {@code j} of rule {@code rule} of the spec. */
    static ArgCondition of(SeccompArg arg, int rule, int j) {
        if (arg.index() == null) {
            throw new ConfinementException(path(rule, j) + ".index: must be set");
        }
        if (arg.index() < 0 || arg.index() > MAX_INDEX) {
            throw new ConfinementException(path(rule, j) + ".index: " + arg.index()
                    + " is out of range (expected 0 to 5)");
        }
        ArgOp op = ArgOp.byName(arg.op(), rule, j);
        if (arg.value() == null) {
            throw new ConfinementException(path(rule, j) + ".value: must be set");
        }
        long two = arg.valueTwo() == null ? 0 : arg.valueTwo();
        return new ArgCondition(arg.index().intValue(), op, arg.value(), two);
    }

    /** {@code linux.seccomp.syscalls[3].args[0]}: built only for a message. */
    static String path(int rule, int j) {
        return Profile.rulePath(rule) + ".args[" + j + "]";
    }
}
