package dev.nido.security;

import dev.nido.security.Assembler.Label;
import dev.nido.security.Segments.Segment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The code for one architecture, entered with the syscall number in A: a binary search over the
 * {@link Segments} ({@code jge} on range starts, so 60 ranges cost 6 comparisons), then the
 * argument checks of syscalls whose rules have conditions, then one {@code ret} per distinct
 * return value that the search and the checks jump to.
 */
final class ArchBlock {
    private final Assembler a;
    private final boolean wide;
    private final int defaultAction;
    private final List<Segment> segments;
    private final Label[] leaves;
    private final List<Integer> bodies = new ArrayList<>();
    private final Map<Integer, Label> returns = new LinkedHashMap<>();

    private ArchBlock(Assembler a, ArchRules rules, int defaultAction) {
        this.a = a;
        this.wide = rules.arch().wideArgs();
        this.defaultAction = defaultAction;
        this.segments = Segments.of(rules, defaultAction);
        this.leaves = new Label[segments.size()];
    }

    /** Emits the block of {@code rules}; A holds {@code seccomp_data.nr}. */
    static void emit(Assembler a, ArchRules rules, int defaultAction) {
        new ArchBlock(a, rules, defaultAction).emit();
    }

    private void emit() {
        int last = segments.size() - 1;
        if (last == 0 && segments.get(0).returns()) {
            a.ret(segments.get(0).ret());
            return;
        }
        if (last == 0) {
            leaf(0);
        } else {
            node(0, last, a.label());
        }
        for (int i : bodies) {
            a.mark(leaves[i]);
            body(segments.get(i).rules());
        }
        for (Map.Entry<Integer, Label> r : returns.entrySet()) {
            a.mark(r.getValue());
            a.ret(r.getKey());
        }
    }

    /** Where the search goes for segments {@code i..j}: a leaf's label or a new search node. */
    private Label target(int i, int j) {
        return i == j ? leaf(i) : a.label();
    }

    /** The label of segment {@code i}'s outcome: a shared return, or its argument checks. */
    private Label leaf(int i) {
        if (leaves[i] == null) {
            Segment s = segments.get(i);
            if (s.returns()) {
                leaves[i] = returnLabel(s.ret());
            } else {
                leaves[i] = a.label();
                bodies.add(i);
            }
        }
        return leaves[i];
    }

    private Label returnLabel(int ret) {
        Label l = returns.get(ret);
        if (l == null) {
            l = a.label();
            returns.put(ret, l);
        }
        return l;
    }

    /** Emits the search over segments {@code i..j} (i < j) at {@code at}; the lower half follows it. */
    private void node(int i, int j, Label at) {
        a.mark(at);
        if (j - i == 2 && single(i + 1) && leaf(i) == leaf(j)) {
            a.jump(Bpf.JEQ_K, (int) segments.get(i + 1).start(), leaf(i + 1), leaf(i));
            return;
        }
        int mid = (i + j + 1) >>> 1;
        Label low = target(i, mid - 1);
        Label high = target(mid, j);
        a.jump(Bpf.JGE_K, (int) segments.get(mid).start(), high, low);
        if (mid - 1 > i) {
            node(i, mid - 1, low);
        }
        if (j > mid) {
            node(mid, j, high);
        }
    }

    /** Whether segment {@code i} is one syscall number. */
    private boolean single(int i) {
        return segments.get(i + 1).start() == segments.get(i).start() + 1;
    }

    /** The rules of one syscall in spec order; the first that matches decides, else the default. */
    private void body(List<Rule> rules) {
        for (int r = 0; r < rules.size(); r++) {
            Rule rule = rules.get(r);
            if (rule.always()) {
                a.ret(rule.action());
                return;
            }
            boolean last = r == rules.size() - 1;
            Label next = last ? returnLabel(defaultAction) : a.label();
            conditions(rule, returnLabel(rule.action()), next);
            if (!last) {
                a.mark(next);
            }
        }
    }

    /** All conditions must hold, or with {@link Rule#anyOf()} one is enough. */
    private void conditions(Rule rule, Label pass, Label fail) {
        List<ArgCondition> all = rule.conditions();
        for (int k = 0; k < all.size(); k++) {
            boolean last = k == all.size() - 1;
            Label next = last ? null : a.label();
            if (rule.anyOf()) {
                ArgChecks.emit(a, all.get(k), wide, pass, last ? fail : next);
            } else {
                ArgChecks.emit(a, all.get(k), wide, last ? pass : next, fail);
            }
            if (!last) {
                a.mark(next);
            }
        }
    }
}
