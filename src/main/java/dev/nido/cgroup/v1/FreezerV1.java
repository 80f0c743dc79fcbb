package dev.nido.cgroup.v1;

import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The v1 freezer: freezer.state is FROZEN, FREEZING or THAWED; a freeze is complete only when the
 * state reads FROZEN (freezer-subsystem.txt), so callers poll {@link #isFrozen}.
 */
public final class FreezerV1 {
    public static final String STATE = "freezer.state";

    private FreezerV1() {
    }

    public static void freeze(BiConsumer<String, String> write) {
        write.accept(STATE, "FROZEN");
    }

    public static void thaw(BiConsumer<String, String> write) {
        write.accept(STATE, "THAWED");
    }

    /** True only when the freeze has completed (not while FREEZING). */
    public static boolean isFrozen(Function<String, Optional<String>> read) {
        return read.apply(STATE).map(String::strip).filter("FROZEN"::equals).isPresent();
    }
}
