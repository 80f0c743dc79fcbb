package dev.nido.cgroup;

import java.nio.file.Path;
import java.util.Set;

/**
 * One mounted cgroup hierarchy.
 *
 * @param name        the directory name to show inside containers ("cpu,cpuacct", "memory", "systemd",
 *                    "unified" for the v2 mount of a hybrid host)
 * @param mountPoint  where it is mounted on the host
 * @param controllers the controllers bound to it (v1), or listed in its cgroup.controllers (v2,
 *                    filled by {@link CgroupLayout#detect}); empty for a named hierarchy
 * @param v2          true for the unified (cgroup2) hierarchy
 */
public record Hierarchy(String name, Path mountPoint, Set<String> controllers, boolean v2) {
    public Hierarchy {
        controllers = Set.copyOf(controllers);
    }
}
