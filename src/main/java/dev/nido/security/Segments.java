package dev.nido.security;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts the syscall numbers of one architecture into ranges that each get one outcome: a return
 * value, or the argument checks of the rules naming that syscall. Neighbouring ranges with the same
 * return value are merged, so an allow-list of 350 mostly consecutive syscalls becomes a few dozen
 * ranges for the binary search of {@link ArchBlock}.
 *
 * <p>Numbers the profile does not name get the default action, or ENOSYS when the default action
 * denies and they are above the largest named number (x32 also between its largest common number
 * and its legacy block at 512, see {@link ArchRules#X32_LEGACY_START}).
 */
final class Segments {
    /**
     * Numbers from {@code start} up to the next segment's start.
     *
     * @param rules the rules to check (the first ones have argument conditions), or null
     * @param ret   the return value when {@code rules} is null
     */
    record Segment(long start, List<Rule> rules, int ret) {
        boolean returns() {
            return rules == null;
        }
    }

    private static final long MAX_NR = 0xffffffffL;

    private final ArchRules arch;
    private final int defaultAction;
    private final long maxNamed;
    private final long maxCommon;
    private final boolean newer;
    private final boolean x32;

    private Segments(ArchRules arch, int defaultAction) {
        this.arch = arch;
        this.defaultAction = defaultAction;
        this.maxNamed = arch.maxNamed();
        this.maxCommon = arch.maxCommon();
        this.newer = maxNamed >= 0 && !SeccompAction.lets(defaultAction);
        this.x32 = arch.arch() == Arch.X32 && maxCommon >= 0;
    }

    /**
     * The segments of {@code arch}, ascending, the first one starting at the lowest number this
     * block can see (0, or {@link Arch#X32_SYSCALL_BIT} for x32).
     */
    static List<Segment> of(ArchRules arch, int defaultAction) {
        return new Segments(arch, defaultAction).build();
    }

    private List<Segment> build() {
        long[] points = points();
        List<Segment> segments = new ArrayList<>(points.length);
        long previous = -1;
        for (long p : points) {
            if (p == previous) {
                continue;
            }
            previous = p;
            List<Rule> rules = arch.rules(p);
            Segment s = rules == null ? new Segment(p, null, gap(p)) : named(p, rules);
            Segment last = segments.isEmpty() ? null : segments.get(segments.size() - 1);
            if (last == null || !s.returns() || !last.returns() || last.ret() != s.ret()) {
                segments.add(s);
            }
        }
        return segments;
    }

    /** Where an outcome may change: each named number, the one after it, and the gap boundaries. */
    private long[] points() {
        long[] named = arch.numbers();
        long[] points = new long[named.length * 2 + 4];
        int n = 0;
        points[n++] = arch.arch() == Arch.X32 ? Arch.X32_SYSCALL_BIT : 0;
        for (long nr : named) {
            points[n++] = nr;
            if (nr < MAX_NR) {
                points[n++] = nr + 1;
            }
        }
        if (newer && maxNamed < MAX_NR) {
            points[n++] = maxNamed + 1;
        }
        if (newer && x32) {
            points[n++] = maxCommon + 1;
            points[n++] = ArchRules.X32_LEGACY_START;
        }
        sortAlmostSorted(points, n);
        return Arrays.copyOf(points, n);
    }

    /** The outcome of a number the profile does not name. */
    private int gap(long nr) {
        boolean isNewer = nr > maxNamed || x32 && nr > maxCommon && nr < ArchRules.X32_LEGACY_START;
        return newer && isNewer ? SeccompAction.errno(SeccompAction.ENOSYS) : defaultAction;
    }

    /** A syscall the profile names: its first rule decides alone when it has no conditions. */
    private static Segment named(long nr, List<Rule> rules) {
        if (rules.get(0).always()) {
            return new Segment(nr, null, rules.get(0).action());
        }
        for (int i = 1; i < rules.size(); i++) {
            if (rules.get(i).always()) {
                return new Segment(nr, rules.subList(0, i + 1), 0);
            }
        }
        return new Segment(nr, rules, 0);
    }

    /**
     * An insertion sort: the named numbers come ascending and only the few gap boundaries at the
     * end are out of place, so this is linear here, and it avoids {@code Arrays.sort}, whose
     * first call on a cold JVM costs milliseconds of class loading.
     */
    static void sortAlmostSorted(long[] a, int n) {
        for (int i = 1; i < n; i++) {
            long v = a[i];
            int j = i - 1;
            while (j >= 0 && a[j] > v) {
                a[j + 1] = a[j];
                j--;
            }
            a[j + 1] = v;
        }
    }
}
