package dev.nido.cgroup.v2;

import dev.nido.oci.Cpu;

import java.util.function.BiConsumer;

/** The v2 cpuset controller: same files and syntax as v1, but an empty value means "inherit". */
public final class CpusetV2 {
    private CpusetV2() {
    }

    public static void plan(Cpu c, BiConsumer<String, String> write) {
        if (c.cpus() != null && !c.cpus().isBlank()) {
            write.accept("cpuset.cpus", c.cpus().strip());
        }
        if (c.mems() != null && !c.mems().isBlank()) {
            write.accept("cpuset.mems", c.mems().strip());
        }
    }
}
