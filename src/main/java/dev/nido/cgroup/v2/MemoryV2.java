package dev.nido.cgroup.v2;

import dev.nido.cgroup.v1.Stats;
import dev.nido.oci.Memory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The v2 memory controller. The spec's swap is memory+swap (a v1 notion); v2's memory.swap.max
 * is swap alone, so it is swap - limit, as runc and crun convert it.
 */
public final class MemoryV2 {
    private MemoryV2() {
    }

    public static void plan(Memory m, BiConsumer<String, String> write, Consumer<String> problem) {
        if (set(m.limit())) {
            write.accept("memory.max", max(m.limit()));
        }
        swapMax(m, problem).ifPresent(v -> write.accept("memory.swap.max", v));
        if (set(m.reservation())) {
            write.accept("memory.low", max(m.reservation()));
        }
        if (m.swappiness() != null) {
            problem.accept("linux.resources.memory.swappiness: not supported on cgroup v2 (there is no per-cgroup "
                    + "swappiness; leave it unset)");
        }
        // disableOOMKiller: v2 has no memory.oom_control; runc and crun ignore the field there too.
    }

    /** memory.swap.max for the spec's memory+swap, or empty when swap is unset. */
    public static Optional<String> swapMax(Memory m, Consumer<String> problem) {
        Long swap = m.swap();
        if (!set(swap)) {
            return m.limit() != null && m.limit() == -1 ? Optional.of("max") : Optional.empty();
        }
        if (swap == -1) {
            return Optional.of("max");
        }
        if (!set(m.limit()) || m.limit() == -1) {
            problem.accept("linux.resources.memory.swap: a swap limit needs a memory limit on cgroup v2 "
                    + "(swap is memory+swap; set linux.resources.memory.limit too)");
            return Optional.empty();
        }
        return Optional.of(Long.toString(swap - m.limit()));
    }

    private static String max(long v) {
        return v == -1 ? "max" : Long.toString(v);
    }

    private static boolean set(Long v) {
        return v != null && v != 0;
    }

    /** runc's memory stats shape from memory.current/max/peak/stat and memory.swap.*. */
    public static Map<String, Object> stats(Function<String, Optional<String>> read) {
        Map<String, Object> usage = new LinkedHashMap<>();
        Stats.putLong(usage, "usage", read.apply("memory.current"));
        Stats.putLong(usage, "max", read.apply("memory.peak"));
        Stats.putLong(usage, "limit", read.apply("memory.max"));
        read.apply("memory.events").map(Stats::keyed).map(e -> e.get("max")).ifPresent(f -> usage.put("failcnt", f));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("usage", usage);
        Map<String, Object> swap = new LinkedHashMap<>();
        Stats.putLong(swap, "usage", read.apply("memory.swap.current"));
        Stats.putLong(swap, "limit", read.apply("memory.swap.max"));
        if (!swap.isEmpty()) {
            out.put("swap", swap);
        }
        read.apply("memory.stat").ifPresent(s -> out.put("raw", Stats.keyed(s)));
        read.apply("memory.events").map(Stats::keyed).map(e -> e.get("oom_kill")).ifPresent(n -> out.put("oom_kill", n));
        return out;
    }
}
