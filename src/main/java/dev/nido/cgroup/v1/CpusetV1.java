package dev.nido.cgroup.v1;

import dev.nido.oci.Cpu;

import java.util.function.BiConsumer;

/** The v1 cpuset controller: the CPUs and memory nodes a container may use. */
public final class CpusetV1 {
    private CpusetV1() {
    }

    /** cpus before mems, as runc does; empty strings mean unset. */
    public static void plan(Cpu c, BiConsumer<String, String> write) {
        if (c.cpus() != null && !c.cpus().isBlank()) {
            write.accept("cpuset.cpus", c.cpus().strip());
        }
        if (c.mems() != null && !c.mems().isBlank()) {
            write.accept("cpuset.mems", c.mems().strip());
        }
    }
}
