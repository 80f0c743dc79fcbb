package dev.nido.cgroup.v1;

import dev.nido.oci.Cpu;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/** The v1 cpu controller (shares, CFS quota/period/burst, realtime, idle) and cpuacct statistics. */
public final class CpuV1 {
    private CpuV1() {
    }

    /** Writes for the cpu-controller fields of {@code c}; period before quota (sched(7): quota is checked against it). */
    public static void plan(Cpu c, Predicate<String> has, BiConsumer<String, String> write, Consumer<String> problem) {
        if (set(c.shares())) {
            write.accept("cpu.shares", Long.toString(c.shares()));
        }
        if (set(c.period())) {
            write.accept("cpu.cfs_period_us", Long.toString(c.period()));
        }
        if (set(c.quota())) {
            write.accept("cpu.cfs_quota_us", c.quota() < 0 ? "-1" : Long.toString(c.quota()));
        }
        optional(has, write, problem, "burst", "cpu.cfs_burst_us", c.burst(), "a kernel with CFS burst (5.14+)");
        // The kernel refuses a runtime longer than the period, so the period goes first.
        optional(has, write, problem, "realtimePeriod", "cpu.rt_period_us", c.realtimePeriod(), "CONFIG_RT_GROUP_SCHED");
        optional(has, write, problem, "realtimeRuntime", "cpu.rt_runtime_us", c.realtimeRuntime(), "CONFIG_RT_GROUP_SCHED");
        if (c.idle() != null) {
            optional(has, write, problem, "idle", "cpu.idle", c.idle(), "a kernel with SCHED_IDLE groups (5.15+)");
        }
    }

    private static void optional(Predicate<String> has, BiConsumer<String, String> write, Consumer<String> problem,
            String field, String file, Long value, String needs) {
        if (value == null || value == 0 && !file.equals("cpu.idle")) {
            return;
        }
        if (has.test(file)) {
            write.accept(file, Long.toString(value));
        } else {
            problem.accept("linux.resources.cpu." + field + ": not supported on this host (" + file
                    + " is missing; it needs " + needs + "), leave it unset");
        }
    }

    private static boolean set(Long v) {
        return v != null && v != 0;
    }

    /** runc's cpu stats: usage from cpuacct (ns; user/kernel converted from USER_HZ ticks), throttling from cpu.stat. */
    public static Map<String, Object> stats(Function<String, Optional<String>> cpu, Function<String, Optional<String>> cpuacct) {
        Map<String, Object> usage = new LinkedHashMap<>();
        Stats.putLong(usage, "total", cpuacct.apply("cpuacct.usage"));
        cpuacct.apply("cpuacct.usage_percpu").ifPresent(s -> usage.put("percpu", Stats.numbers(s)));
        cpuacct.apply("cpuacct.stat").map(Stats::keyed).ifPresent(st -> {
            putTicks(usage, "kernel", st.get("system"));
            putTicks(usage, "user", st.get("user"));
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("usage", usage);
        cpu.apply("cpu.stat").map(Stats::keyed).ifPresent(st -> {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("periods", st.getOrDefault("nr_periods", 0L));
            t.put("throttled_periods", st.getOrDefault("nr_throttled", 0L));
            t.put("throttled_time", st.getOrDefault("throttled_time", 0L));
            out.put("throttling", t);
        });
        return out;
    }

    private static void putTicks(Map<String, Object> m, String key, Object ticks) {
        if (ticks instanceof Long t) {
            m.put(key, t * 10_000_000L); // USER_HZ is 100 on Linux: one tick is 10 ms
        }
    }
}
