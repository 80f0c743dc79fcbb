package dev.nido.cgroup.v2;

import java.util.Map;
import java.util.function.BiConsumer;

/** {@code linux.resources.unified}: raw v2 files, written as given after the typed fields. */
public final class UnifiedV2 {
    private UnifiedV2() {
    }

    /** The controller that owns a v2 file: the part before the first dot ("memory.high" → memory). */
    public static String controllerOf(String file) {
        int dot = file.indexOf('.');
        return dot <= 0 ? "" : file.substring(0, dot);
    }

    public static void plan(Map<String, String> unified, BiConsumer<String, String> write) {
        unified.forEach(write);
    }
}
