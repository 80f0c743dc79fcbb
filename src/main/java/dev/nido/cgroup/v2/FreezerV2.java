package dev.nido.cgroup.v2;

import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The v2 freezer: cgroup.freeze 1/0; the freeze is complete when cgroup.events says "frozen 1"
 * (cgroup-v2.rst), so callers poll {@link #isFrozen}.
 */
public final class FreezerV2 {
    private FreezerV2() {
    }

    public static void freeze(BiConsumer<String, String> write) {
        write.accept("cgroup.freeze", "1");
    }

    public static void thaw(BiConsumer<String, String> write) {
        write.accept("cgroup.freeze", "0");
    }

    public static boolean isFrozen(Function<String, Optional<String>> read) {
        return read.apply("cgroup.events").map(e -> e.lines().anyMatch(l -> l.strip().equals("frozen 1"))).orElse(false);
    }
}
