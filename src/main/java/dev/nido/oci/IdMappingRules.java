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
                if (overlap(maps.get(i).containerID(), maps.get(i).size(), maps.get(j).containerID(), maps.get(j).size())) {
                    v.add(JsonPath.index(path, i), "container range " + range(maps.get(i)) + " overlaps "
                            + JsonPath.index(path, j) + " (container range " + range(maps.get(j)) + ")");
                } else if (overlap(maps.get(i).hostID(), maps.get(i).size(), maps.get(j).hostID(), maps.get(j).size())) {
                    v.add(JsonPath.index(path, i), "host range " + hostRange(maps.get(i)) + " overlaps "
                            + JsonPath.index(path, j) + " (host range " + hostRange(maps.get(j))
                            + "); the kernel refuses two lines mapping one host id");
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

    private static boolean overlap(Long a, Long aSize, Long b, Long bSize) {
        if (a == null || b == null || aSize == null || bSize == null || aSize <= 0 || bSize <= 0) {
            return false;
        }
        return a < b + bSize && b < a + aSize;
    }

    private static String hostRange(IdMapping m) {
        return m.hostID() + "-" + (m.hostID() + m.size() - 1);
    }

    private static String range(IdMapping m) {
        return m.containerID() + "-" + (m.containerID() + m.size() - 1);
    }
}
