package dev.nido.cgroup.v1;

import dev.nido.oci.Memory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/** The v1 memory controller: limit, soft limit, memory+swap, swappiness, OOM killer. */
public final class MemoryV1 {
    public static final String LIMIT = "memory.limit_in_bytes";
    public static final String MEMSW = "memory.memsw.limit_in_bytes";

    private MemoryV1() {
    }

    /**
     * Writes for {@code m} (already validated). {@code has} tells whether a file exists in the
     * hierarchy (memsw files exist only with swap accounting). Limit comes before memsw;
     * whether memsw must go first on an update depends on the current limit, see {@link #swapFirst}.
     */
    public static void plan(Memory m, Predicate<String> has, BiConsumer<String, String> write, Consumer<String> problem) {
        if (set(m.limit())) {
            write.accept(LIMIT, Long.toString(m.limit()));
        }
        Long swap = m.swap();
        if (!set(swap) && m.limit() != null && m.limit() == -1) {
            swap = has.test(MEMSW) ? -1L : null; // runc: an unlimited memory also lifts memory+swap
        }
        if (set(swap)) {
            if (has.test(MEMSW)) {
                write.accept(MEMSW, Long.toString(swap));
            } else {
                problem.accept("linux.resources.memory.swap: swap accounting is not enabled on this host ("
                        + MEMSW + " is missing; boot with swapaccount=1, or leave swap unset)");
            }
        }
        if (set(m.reservation())) {
            write.accept("memory.soft_limit_in_bytes", Long.toString(m.reservation()));
        }
        if (m.swappiness() != null) {
            write.accept("memory.swappiness", Long.toString(m.swappiness()));
        }
        if (Boolean.TRUE.equals(m.disableOOMKiller())) {
            write.accept("memory.oom_control", "1");
        }
    }

    private static boolean set(Long v) {
        return v != null && v != 0;
    }

    /**
     * Whether memory+swap must be written before the limit (runc's rule): the kernel keeps
     * memsw &gt;= limit at every step, so when the new memsw is above the current limit (or
     * unlimited) it has to be raised first.
     */
    public static boolean swapFirst(long currentLimit, long newSwap) {
        return newSwap == -1 || Long.compareUnsigned(currentLimit, newSwap) < 0;
    }

    /** runc's memory stats from whatever files exist. */
    public static Map<String, Object> stats(Function<String, Optional<String>> read) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("usage", usage(read, "memory."));
        Map<String, Object> swap = usage(read, "memory.memsw.");
        if (!swap.isEmpty()) {
            out.put("swap", swap);
        }
        read.apply("memory.stat").ifPresent(s -> out.put("raw", Stats.keyed(s)));
        // processes the kernel's OOM killer killed in this cgroup (oom_kill line, Linux 4.13+)
        read.apply("memory.oom_control").map(Stats::keyed).map(c -> c.get("oom_kill"))
                .ifPresent(n -> out.put("oom_kill", n));
        return out;
    }

    private static Map<String, Object> usage(Function<String, Optional<String>> read, String prefix) {
        Map<String, Object> u = new LinkedHashMap<>();
        Stats.putLong(u, "usage", read.apply(prefix + "usage_in_bytes"));
        Stats.putLong(u, "max", read.apply(prefix + "max_usage_in_bytes"));
        Stats.putLong(u, "failcnt", read.apply(prefix + "failcnt"));
        Stats.putLong(u, "limit", read.apply(prefix + "limit_in_bytes"));
        return u;
    }
}
