package dev.nido.cgroup.v2;

import dev.nido.cgroup.v1.Stats;
import dev.nido.oci.Pids;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;

/** The v2 pids controller. */
public final class PidsV2 {
    private PidsV2() {
    }

    public static void plan(Pids p, BiConsumer<String, String> write) {
        if (p.limit() != null) {
            write.accept("pids.max", p.limit() <= 0 ? "max" : Long.toString(p.limit()));
        }
    }

    public static Map<String, Object> stats(Function<String, Optional<String>> read) {
        Map<String, Object> out = new LinkedHashMap<>();
        Stats.putLong(out, "current", read.apply("pids.current"));
        Stats.putLong(out, "limit", read.apply("pids.max").map(s -> s.strip().equals("max") ? "0" : s));
        return out;
    }
}
