package dev.nido.cgroup.v2;

import dev.nido.cgroup.v1.Stats;
import dev.nido.oci.Cpu;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/** The v2 cpu controller: cpu.weight (from v1 shares), cpu.max, cpu.max.burst, cpu.idle. */
public final class CpuV2 {
    /** The period the kernel and runc use when only a quota is given (µs). */
    public static final long DEFAULT_PERIOD = 100_000;

    private CpuV2() {
    }

    public static void plan(Cpu c, BiConsumer<String, String> write, Consumer<String> problem) {
        if (c.shares() != null && c.shares() != 0) {
            write.accept("cpu.weight", Long.toString(weight(c.shares())));
        }
        max(c.quota(), c.period()).ifPresent(v -> write.accept("cpu.max", v));
        if (c.burst() != null) {
            write.accept("cpu.max.burst", Long.toString(c.burst()));
        }
        if (c.realtimeRuntime() != null && c.realtimeRuntime() != 0
                || c.realtimePeriod() != null && c.realtimePeriod() != 0) {
            problem.accept("linux.resources.cpu.realtimeRuntime: realtime groups are not supported on cgroup v2 "
                    + "(leave realtimeRuntime and realtimePeriod unset)");
        }
        if (c.idle() != null) {
            write.accept("cpu.idle", Long.toString(c.idle()));
        }
    }

    /**
     * v1 shares [2, 262144] to v2 weight [1, 10000], runc's formula; 1024 (the default share)
     * becomes 39, not the v2 default of 100, exactly as runc and crun do.
     */
    public static long weight(long shares) {
        return 1 + ((shares - 2) * 9999) / 262142;
    }

    /** cpu.max "quota period": "max period" for no quota; empty when neither is set. */
    public static Optional<String> max(Long quota, Long period) {
        long q = quota == null ? 0 : quota;
        long p = period == null ? 0 : period;
        if (q == 0 && p == 0) {
            return Optional.empty();
        }
        long per = p == 0 ? DEFAULT_PERIOD : p;
        return Optional.of((q <= 0 ? "max" : Long.toString(q)) + " " + per);
    }

    /** runc's cpu stats shape from cpu.stat (µs there, ns here). */
    public static Map<String, Object> stats(Function<String, Optional<String>> read) {
        Map<String, Object> out = new LinkedHashMap<>();
        read.apply("cpu.stat").map(Stats::keyed).ifPresent(st -> {
            Map<String, Object> usage = new LinkedHashMap<>();
            putNs(usage, "total", st.get("usage_usec"));
            putNs(usage, "kernel", st.get("system_usec"));
            putNs(usage, "user", st.get("user_usec"));
            out.put("usage", usage);
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("periods", st.getOrDefault("nr_periods", 0L));
            t.put("throttled_periods", st.getOrDefault("nr_throttled", 0L));
            if (st.get("throttled_usec") instanceof Long us) {
                t.put("throttled_time", us * 1000);
            }
            out.put("throttling", t);
        });
        return out;
    }

    private static void putNs(Map<String, Object> m, String key, Object usec) {
        if (usec instanceof Long us) {
            m.put(key, us * 1000);
        }
    }
}
