package dev.nido.cgroup.v1;

import dev.nido.oci.Pids;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;

/** The v1 pids controller (the file is the same in v2, see PidsV2). */
public final class PidsV1 {
    private PidsV1() {
    }

    /** pids.max; a limit of 0 or less means none ("max"), as in runc. */
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
