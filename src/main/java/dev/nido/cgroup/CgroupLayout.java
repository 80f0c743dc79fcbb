package dev.nido.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The host's cgroup hierarchies, read from /proc/self/mountinfo: pure v1, hybrid (v1 controllers
 * plus a cgroup2 mount, as on this project's reference machine), or pure v2.
 */
public record CgroupLayout(List<Hierarchy> hierarchies) {
    public enum Kind { V1, HYBRID, V2, NONE }

    public CgroupLayout {
        hierarchies = List.copyOf(hierarchies);
    }

    /**
     * Reads the layout of the calling process's mount namespace, with the controllers of the
     * cgroup2 mount read from its {@code cgroup.controllers}.
     */
    public static CgroupLayout detect() {
        try {
            return parse(Files.readAllLines(Path.of("/proc/self/mountinfo"))).withV2Controllers();
        } catch (IOException e) {
            throw new CgroupException("read /proc/self/mountinfo: " + e.getMessage(), e);
        }
    }

    /**
     * This layout with the controllers of each cgroup2 mount read from
     * {@code <mount>/cgroup.controllers} (a missing or unreadable file means none).
     */
    public CgroupLayout withV2Controllers() {
        List<Hierarchy> out = new ArrayList<>();
        for (Hierarchy h : hierarchies) {
            if (!h.v2()) {
                out.add(h);
                continue;
            }
            Set<String> controllers = new LinkedHashSet<>();
            try {
                for (String c : dev.nido.linux.ProcFiles.read(h.mountPoint().resolve("cgroup.controllers")).split("\\s+")) {
                    if (!c.isBlank()) {
                        controllers.add(c);
                    }
                }
            } catch (IOException e) {
                // no controllers readable: the mount is treated as empty
            }
            out.add(new Hierarchy(h.name(), h.mountPoint(), controllers, true));
        }
        return new CgroupLayout(out);
    }

    /** Parses mountinfo lines (proc(5)). Only mounts of the hierarchy root are used. */
    public static CgroupLayout parse(List<String> mountinfo) {
        List<Hierarchy> out = new ArrayList<>();
        Set<Path> seen = new LinkedHashSet<>();
        for (String line : mountinfo) {
            String[] f = line.split(" ");
            int dash = List.of(f).indexOf("-");
            if (dash < 0 || f.length < dash + 4) {
                continue;
            }
            String fstype = f[dash + 1];
            Path mountPoint = Path.of(unescape(f[4]));
            if (!fstype.equals("cgroup") && !fstype.equals("cgroup2") || !seen.add(mountPoint)) {
                continue;
            }
            out.add(hierarchy(fstype, mountPoint, f[dash + 3]));
        }
        return new CgroupLayout(out);
    }

    private static Hierarchy hierarchy(String fstype, Path mountPoint, String superOptions) {
        if (fstype.equals("cgroup2")) {
            return new Hierarchy(mountPoint.getFileName() == null ? "unified" : mountPoint.getFileName().toString(),
                    mountPoint, Set.of(), true);
        }
        Set<String> controllers = new LinkedHashSet<>();
        String named = null;
        for (String o : superOptions.split(",")) {
            if (o.startsWith("name=")) {
                named = o.substring(5);
            } else if (KNOWN_V1.contains(o)) {
                controllers.add(o);
            }
        }
        String name = mountPoint.getFileName() != null ? mountPoint.getFileName().toString()
                : named != null ? named : String.join(",", controllers);
        return new Hierarchy(name, mountPoint, controllers, false);
    }

    private static final Set<String> KNOWN_V1 = Set.of("cpu", "cpuacct", "cpuset", "memory", "devices", "freezer",
            "net_cls", "blkio", "perf_event", "net_prio", "hugetlb", "pids", "rdma", "misc");

    private static String unescape(String s) {
        return s.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }

    public Kind kind() {
        boolean v1 = hierarchies.stream().anyMatch(h -> !h.v2());
        boolean v2 = hierarchies.stream().anyMatch(Hierarchy::v2);
        return v1 && v2 ? Kind.HYBRID : v1 ? Kind.V1 : v2 ? Kind.V2 : Kind.NONE;
    }

    /** The v1 hierarchies (empty on a pure v2 host). */
    public List<Hierarchy> v1() {
        return hierarchies.stream().filter(h -> !h.v2()).toList();
    }

    /**
     * The hierarchy that serves {@code controller}: the v1 hierarchy it is bound to, else the
     * cgroup2 mount if its {@code cgroup.controllers} lists it. v1 wins on a hybrid host because
     * a controller bound to a v1 hierarchy cannot be enabled in v2. The pseudo-controller
     * {@code "cgroup"} (v2 core files such as cgroup.freeze) is served by the cgroup2 mount.
     */
    public Optional<Hierarchy> home(String controller) {
        for (Hierarchy h : hierarchies) {
            if (!h.v2() && h.controllers().contains(controller)) {
                return Optional.of(h);
            }
        }
        for (Hierarchy h : hierarchies) {
            if (h.v2() && (controller.equals("cgroup") || h.controllers().contains(controller))) {
                return Optional.of(h);
            }
        }
        return Optional.empty();
    }

    /** Where {@code controller} lives on this host: "v1", "v2", or empty if it is not available. */
    public Optional<String> controllerHome(String controller) {
        return home(controller).map(h -> h.v2() ? "v2" : "v1");
    }

    /** The cgroup2 mount, if any. */
    public Optional<Hierarchy> v2() {
        return hierarchies.stream().filter(Hierarchy::v2).findFirst();
    }
}
