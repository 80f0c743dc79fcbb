package dev.nido.cgroup;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * How to put a cgroup file back as it was before one write, computed from what it read before
 * the write. Most files read back in the syntax they accept; the exceptions are handled here:
 * per-device files (only the written device's line is restored, or its "no limit" value),
 * memory.oom_control (a report: only oom_kill_disable is writable), and the devices lists
 * (write-only: restored from devices.list).
 */
final class Restore {
    /** What a keyed file holds for a key that has no line of its own. */
    private static final Map<String, String> NO_LIMIT = Map.of(
            "io.max", " rbps=max wbps=max riops=max wiops=max",
            "io.weight", " default",
            "rdma.max", " hca_handle=max hca_object=max",
            "net_prio.ifpriomap", " 0");

    private Restore() {
    }

    /** The (file, value) writes that undo writing {@code w}, given a reader of the directory's files before it. */
    static List<String[]> undo(CgroupWrite w, Function<String, Optional<String>> before) {
        String f = w.file();
        if (f.equals("devices.allow") || f.equals("devices.deny")) {
            return before.apply("devices.list").map(Restore::devices).orElse(List.of());
        }
        if (f.equals("cgroup.subtree_control") || f.equals("cgroup.procs") || f.equals("cgroup.threads")) {
            return List.of();
        }
        Optional<String> old = before.apply(f);
        if (old.isEmpty()) {
            return List.of();
        }
        if (f.equals("memory.oom_control")) {
            return keyedLine(old.get(), "oom_kill_disable").map(l -> one(f, l.split(" ")[1])).orElse(List.of());
        }
        if (isKeyed(f)) {
            String key = w.value().strip().split("\\s+")[0];
            String line = keyedLine(old.get(), key)
                    .orElse(key + NO_LIMIT.getOrDefault(f, " 0"));
            return one(f, line);
        }
        return one(f, old.get().strip());
    }

    private static boolean isKeyed(String f) {
        return f.endsWith("_device") || NO_LIMIT.containsKey(f);
    }

    private static Optional<String> keyedLine(String text, String key) {
        return text.lines().map(String::strip).filter(l -> l.startsWith(key + " ")).findFirst();
    }

    /** Deny everything, then allow each rule devices.list showed ("a *:* rwm" when all was allowed). */
    private static List<String[]> devices(String list) {
        List<String[]> out = new ArrayList<>();
        out.add(new String[] {"devices.deny", "a"});
        list.lines().map(String::strip).filter(l -> !l.isEmpty())
                .forEach(l -> out.add(new String[] {"devices.allow", l}));
        return out;
    }

    private static List<String[]> one(String file, String value) {
        List<String[]> out = new ArrayList<>();
        out.add(new String[] {file, value});
        return out;
    }
}
