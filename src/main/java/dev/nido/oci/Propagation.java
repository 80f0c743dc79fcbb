package dev.nido.oci;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Mount propagation names ({@code rslave} ...) and the mount(2) flags that set them. */
public final class Propagation {
    private static final Map<String, Long> FLAGS = table();

    private Propagation() {
    }

    private static Map<String, Long> table() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("private", Mounts.MS_PRIVATE);
        m.put("rprivate", Mounts.MS_PRIVATE | Mounts.MS_REC);
        m.put("shared", Mounts.MS_SHARED);
        m.put("rshared", Mounts.MS_SHARED | Mounts.MS_REC);
        m.put("slave", Mounts.MS_SLAVE);
        m.put("rslave", Mounts.MS_SLAVE | Mounts.MS_REC);
        m.put("unbindable", Mounts.MS_UNBINDABLE);
        m.put("runbindable", Mounts.MS_UNBINDABLE | Mounts.MS_REC);
        return Map.copyOf(m);
    }

    /** The names, in the order private, rprivate, shared, rshared, slave, rslave, unbindable, runbindable. */
    public static List<String> names() {
        return List.of("private", "rprivate", "shared", "rshared", "slave", "rslave", "unbindable", "runbindable");
    }

    /** The flags of a propagation name, or empty if it is not one. */
    public static Optional<Long> find(String name) {
        return Optional.ofNullable(name == null ? null : FLAGS.get(name));
    }

    /**
     * The mount(2) flags for a propagation name: {@code parse("rslave") == MS_SLAVE | MS_REC}.
     * Validate first; an unknown name is a programming error here.
     */
    public static long parse(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException(
                "unknown propagation \"" + name + "\" (expected one of " + String.join(", ", names()) + ")"));
    }
}
