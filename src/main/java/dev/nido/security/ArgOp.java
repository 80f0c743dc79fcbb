package dev.nido.security;

/** The argument comparisons of the runtime-spec ({@code SCMP_CMP_*}), all unsigned. */
enum ArgOp {
    /** arg != value. */
    SCMP_CMP_NE,
    /** arg < value. */
    SCMP_CMP_LT,
    /** arg <= value. */
    SCMP_CMP_LE,
    /** arg == value. */
    SCMP_CMP_EQ,
    /** arg >= value. */
    SCMP_CMP_GE,
    /** arg > value. */
    SCMP_CMP_GT,
    /** (arg & value) == valueTwo. */
    SCMP_CMP_MASKED_EQ;

    /** The operator {@code name} of condition {@code j} of rule {@code rule}. */
    static ArgOp byName(String name, int rule, int j) {
        if (name != null) {
            for (ArgOp op : values()) {
                if (op.name().equals(name)) {
                    return op;
                }
            }
        }
        String path = ArgCondition.path(rule, j) + ".op";
        if (name == null) {
            throw new ConfinementException(path + ": must be set");
        }
        throw new ConfinementException(path + ": unknown operator " + Text.quote(name)
                + " (expected one of " + Text.names(values()) + ")");
    }
}
