package dev.nido.cgroup.v1;

import dev.nido.oci.Rdma;

import java.util.Map;
import java.util.function.BiConsumer;

/** The v1 rdma controller: one rdma.max line per device (rdma.txt). */
public final class RdmaV1 {
    private RdmaV1() {
    }

    public static void plan(Map<String, Rdma> devices, BiConsumer<String, String> write) {
        devices.forEach((dev, r) -> write.accept("rdma.max", line(dev, r)));
    }

    /** "mlx4_0 hca_handle=2 hca_object=2000", "max" for a missing value. */
    public static String line(String dev, Rdma r) {
        return dev + " hca_handle=" + (r.hcaHandles() == null ? "max" : r.hcaHandles())
                + " hca_object=" + (r.hcaObjects() == null ? "max" : r.hcaObjects());
    }
}
