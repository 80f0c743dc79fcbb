package dev.nido.runtime;

import java.util.List;
import java.util.Map;

/**
 * What nido-runtime keeps about one container in {@code <root>/<id>/state.json}.
 *
 * @param pidStart      field 22 of /proc/PID/stat when the init was started, so a recycled pid
 *                      is never mistaken for the container
 * @param cgroupDirs    the container's cgroup directory in each hierarchy
 * @param cgroupCreated the directories nido created (and so may remove), deepest last
 */
public record ContainerRecord(String id, String bundle, String rootfs, int pid, long pidStart, String created,
                              String owner, Map<String, String> annotations, String cgroupPath,
                              List<String> cgroupDirs, List<String> cgroupCreated) {
    public ContainerRecord {
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        cgroupDirs = cgroupDirs == null ? List.of() : List.copyOf(cgroupDirs);
        cgroupCreated = cgroupCreated == null ? List.of() : List.copyOf(cgroupCreated);
    }

    /** The record as JSON values, written by hand: no reflection on the start-up path. */
    Map<String, Object> toJson() {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("id", id);
        m.put("bundle", bundle);
        m.put("rootfs", rootfs);
        m.put("pid", pid);
        m.put("pidStart", pidStart);
        m.put("created", created);
        m.put("owner", owner);
        m.put("annotations", annotations);
        m.put("cgroupPath", cgroupPath);
        m.put("cgroupDirs", cgroupDirs);
        m.put("cgroupCreated", cgroupCreated);
        return m;
    }

    /** The record from what {@link #toJson()} wrote; a missing or mistyped field is an error naming it. */
    static ContainerRecord fromJson(Map<?, ?> m, String source) {
        return new ContainerRecord(str(m, "id", source), str(m, "bundle", source), str(m, "rootfs", source),
                (int) num(m, "pid", source), num(m, "pidStart", source), str(m, "created", source),
                str(m, "owner", source), strings(m.get("annotations")), str(m, "cgroupPath", source),
                list(m.get("cgroupDirs")), list(m.get("cgroupCreated")));
    }

    private static String str(Map<?, ?> m, String key, String source) {
        Object v = m.get(key);
        if (v != null && !(v instanceof String)) {
            throw new ContainerException(source + ": " + key + ": expected a string");
        }
        return (String) v;
    }

    private static long num(Map<?, ?> m, String key, String source) {
        if (!(m.get(key) instanceof Number n)) {
            throw new ContainerException(source + ": " + key + ": expected a number");
        }
        return n.longValue();
    }

    private static Map<String, String> strings(Object v) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        if (v instanceof Map<?, ?> m) {
            m.forEach((k, x) -> out.put(String.valueOf(k), String.valueOf(x)));
        }
        return out;
    }

    private static List<String> list(Object v) {
        return v instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
    }

    ContainerRecord withPid(int newPid, long start) {
        return new ContainerRecord(id, bundle, rootfs, newPid, start, created, owner, annotations, cgroupPath,
                cgroupDirs, cgroupCreated);
    }
}
