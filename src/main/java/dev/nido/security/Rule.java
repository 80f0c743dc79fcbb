package dev.nido.security;

import java.util.List;

/**
 * One compiled {@code linux.seccomp.syscalls[]} entry: when its conditions hold, the filter returns
 * {@code action}. Conditions are ANDed, except when {@code anyOf}: then one holding is enough.
 *
 * @param conditions the argument conditions; empty means the rule always matches
 * @param anyOf      whether every condition names the same argument (see {@link SeccompCompiler})
 * @param action     the {@code SECCOMP_RET_*} value with its data
 */
record Rule(List<ArgCondition> conditions, boolean anyOf, int action) {
    /** Whether the rule matches without looking at arguments. */
    boolean always() {
        return conditions.isEmpty();
    }

    /** A rule; {@code anyOf} is derived: two or more conditions, all on the same argument. */
    static Rule of(List<ArgCondition> conditions, int action) {
        boolean sameIndex = conditions.size() > 1;
        for (int i = 1; i < conditions.size() && sameIndex; i++) {
            sameIndex = conditions.get(i).index() == conditions.get(0).index();
        }
        return new Rule(List.copyOf(conditions), sameIndex, action);
    }
}
