package dev.nido.runtime;

import dev.nido.cgroup.CgroupLayout;
import dev.nido.cgroup.ContainerCgroup;
import dev.nido.linux.Syscalls;
import dev.nido.oci.Resources;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether a container gets a cgroup. Root always does. Another user gets one only where a cgroup
 * tree has been delegated to it (the nearest existing directory of every hierarchy is writable,
 * as systemd's {@code Delegate=yes} gives), as runc and crun do for rootless containers; without
 * one, limits in the spec are an error that says so, since they could not be enforced.
 */
final class CgroupChoice {
    private CgroupChoice() {
    }

    static ContainerCgroup choose(Syscalls sys, CgroupLayout layout, String cgroupsPath, boolean root) {
        ContainerCgroup cg = ContainerCgroup.of(sys, layout, cgroupsPath);
        if (root || delegated(cg.dirs())) {
            return cg;
        }
        return ContainerCgroup.ofDirs(sys, layout, cg.path(), List.of());
    }

    static boolean delegated(List<Path> dirs) {
        if (dirs.isEmpty()) {
            return false;
        }
        for (Path d : dirs) {
            Path p = d;
            while (p != null && !Files.exists(p)) {
                p = p.getParent();
            }
            if (p == null || !Files.isWritable(p)) {
                return false;
            }
        }
        return true;
    }

    /** The resource fields a spec sets that need a cgroup (device rules do not: see {@link #choose}). */
    static List<String> limitsAsked(Resources r) {
        List<String> out = new ArrayList<>();
        if (r == null) {
            return out;
        }
        add(out, "memory", r.memory());
        add(out, "cpu", r.cpu());
        add(out, "pids", r.pids());
        add(out, "blockIO", r.blockIO());
        add(out, "hugepageLimits", r.hugepageLimits() == null || r.hugepageLimits().isEmpty() ? null : r.hugepageLimits());
        add(out, "network", r.network());
        add(out, "rdma", r.rdma() == null || r.rdma().isEmpty() ? null : r.rdma());
        add(out, "unified", r.unified() == null || r.unified().isEmpty() ? null : r.unified());
        return out;
    }

    private static void add(List<String> out, String name, Object v) {
        if (v != null) {
            out.add("linux.resources." + name);
        }
    }

    /** The error for limits that no cgroup can enforce. */
    static ContainerException undelegated(List<String> asked, long uid) {
        return new ContainerException(String.join(", ", asked) + ": limits need a cgroup, and none is delegated to uid "
                + uid + " (running as a non-root user, nido uses a cgroup only where its directory is writable, e.g."
                + " under systemd-run --user --scope -p Delegate=yes); remove the limits or run as root");
    }
}
