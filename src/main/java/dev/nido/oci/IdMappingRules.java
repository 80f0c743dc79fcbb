package dev.nido.oci;

import java.util.List;

/** Validation of uid/gid mapping lists, shared by {@code linux} and id-mapped mounts. */
final class IdMappingRules {
    private IdMappingRules() {
    }

    /** Each entry complete, uint32, size above 0; no two entries' container ranges overlapping. */
    static void check(List<IdMapping> maps, String path, Violations v) {
        for (int i = 0; i < maps.size(); i++) {
            entry(maps.get(i), JsonPath.index(path, i), v);
        }
        for (int i = 0; i < maps.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (overlap(maps.get(i), maps.get(j))) {
                    v.add(JsonPath.index(path, i), "container range " + range(maps.get(i)) + " overlaps "
                            + JsonPath.index(path, j) + " (container range " + range(maps.get(j)) + ")");
                }
            }
        }
    }

    private static void entry(IdMapping m, String at, Violations v) {
        if (m.containerID() == null) {
            v.add(JsonPath.field(at, "containerID"), "must be set");
        }
        if (m.hostID() == null) {
            v.add(JsonPath.field(at, "hostID"), "must be set");
        }
        if (m.size() == null) {
            v.add(JsonPath.field(at, "size"), "must be set");
        } else if (m.size() <= 0) {
            v.add(JsonPath.field(at, "size"), "must be greater than 0, got " + m.size());
        }
        v.uint32(JsonPath.field(at, "containerID"), m.containerID());
        v.uint32(JsonPath.field(at, "hostID"), m.hostID());
        v.uint32(JsonPath.field(at, "size"), m.size());
    }

    private static boolean complete(IdMapping m) {
        return m.containerID() != null && m.size() != null && m.size() > 0;
    }

    private static boolean overlap(IdMapping a, IdMapping b) {
        if (!complete(a) || !complete(b)) {
            return false;
        }
        return a.containerID() < b.containerID() + b.size() && b.containerID() < a.containerID() + a.size();
    }

    private static String range(IdMapping m) {
        return m.containerID() + "-" + (m.containerID() + m.size() - 1);
    }
}
