package dev.nido.cgroup.v2;

import dev.nido.cgroup.v1.RdmaV1;
import dev.nido.oci.Rdma;

import java.util.Map;
import java.util.function.BiConsumer;

/** The v2 rdma controller: rdma.max, same syntax as v1. */
public final class RdmaV2 {
    private RdmaV2() {
    }

    public static void plan(Map<String, Rdma> devices, BiConsumer<String, String> write) {
        devices.forEach((dev, r) -> write.accept("rdma.max", RdmaV1.line(dev, r)));
    }
}
