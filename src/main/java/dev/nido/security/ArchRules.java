package dev.nido.security;

import java.util.ArrayList;
import java.util.List;

/**
 * The rules of one architecture, per syscall in spec order, and the largest numbers the profile
 * names there (for the "newer than the profile" rule of {@link SeccompCompiler}). Rules are kept
 * by the syscall's position in its {@link SyscallTable}, which is number order, so the named
 * numbers come out ascending without sorting.
 */
final class ArchRules {
    /** x32's own numbers (512..547) that differ from x86_64's; new syscalls come below them. */
    static final long X32_LEGACY_START = Arch.X32_SYSCALL_BIT | 512L;

    private final Arch arch;
    private final SyscallTable table;
    private final List<List<Rule>> byPosition;
    private int named;
    private long maxNamed = -1;
    private long maxCommon = -1;

    ArchRules(Arch arch) {
        this.arch = arch;
        this.table = SyscallTable.of(arch);
        this.byPosition = new ArrayList<>(table.size());
        for (int i = 0; i < table.size(); i++) {
            byPosition.add(null);
        }
    }

    Arch arch() {
        return arch;
    }

    /** Adds {@code rule} for syscall {@code name}; false when this arch has no such syscall. */
    boolean add(String name, Rule rule) {
        int p = table.position(name);
        if (p < 0) {
            return false;
        }
        long nr = table.numberAt(p) & 0xffffffffL;
        maxNamed = Math.max(maxNamed, nr);
        if (nr < X32_LEGACY_START) {
            maxCommon = Math.max(maxCommon, nr);
        }
        put(p, rule);
        return true;
    }

    /** Adds a rule the profile did not write (the clone3 rule): it moves no maximum. */
    void addImplied(String name, Rule rule) {
        int p = table.position(name);
        if (p >= 0) {
            put(p, rule);
        }
    }

    private void put(int p, Rule rule) {
        List<Rule> rules = byPosition.get(p);
        if (rules == null) {
            rules = new ArrayList<>(2);
            byPosition.set(p, rules);
            named++;
        }
        if (rules.isEmpty() || rules.get(rules.size() - 1) != rule) {
            rules.add(rule);
        }
    }

    /** How many syscalls have rules. */
    int namedCount() {
        return named;
    }

    /** The named syscall numbers, ascending. */
    long[] numbers() {
        long[] numbers = new long[named];
        int n = 0;
        for (int p = 0; p < byPosition.size(); p++) {
            if (byPosition.get(p) != null) {
                numbers[n++] = table.numberAt(p) & 0xffffffffL;
            }
        }
        return numbers;
    }

    /** The rules of syscall {@code nr} in spec order, or null when the profile does not name it. */
    List<Rule> rules(long nr) {
        int p = table.positionOf((int) nr);
        return p < 0 ? null : byPosition.get(p);
    }

    /** The largest number the profile names on this arch, or -1. */
    long maxNamed() {
        return maxNamed;
    }

    /** The largest named number below x32's legacy range (the same as {@link #maxNamed} elsewhere). */
    long maxCommon() {
        return maxCommon;
    }
}
