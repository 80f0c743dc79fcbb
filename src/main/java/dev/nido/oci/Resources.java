package dev.nido.oci;

import java.util.List;
import java.util.Map;

/** {@code linux.resources}: cgroup limits. {@code unified} holds raw cgroup v2 files and values. */
public record Resources(
        List<DeviceCgroup> devices,
        Memory memory,
        Cpu cpu,
        Pids pids,
        BlockIO blockIO,
        List<HugepageLimit> hugepageLimits,
        Network network,
        Map<String, Rdma> rdma,
        Map<String, String> unified) {
    /** Its JSON (see {@link JsonCodec}). */
    static final JsonCodec<Resources> JSON = new JsonCodec<>() {
        @Override
        Resources fromJson(JsonTree o) {
            return new Resources(
                    o.list("devices", DeviceCgroup.JSON),
                    o.object("memory", Memory.JSON),
                    o.object("cpu", Cpu.JSON),
                    o.object("pids", Pids.JSON),
                    o.object("blockIO", BlockIO.JSON),
                    o.list("hugepageLimits", HugepageLimit.JSON),
                    o.object("network", Network.JSON),
                    o.map("rdma", Rdma.JSON),
                    o.stringMap("unified"));
        }

        @Override
        void toJson(JsonOut out, Resources r) {
            out.field("devices", r.devices())
                    .field("memory", r.memory())
                    .field("cpu", r.cpu())
                    .field("pids", r.pids())
                    .field("blockIO", r.blockIO())
                    .field("hugepageLimits", r.hugepageLimits())
                    .field("network", r.network())
                    .field("rdma", r.rdma())
                    .field("unified", r.unified());
        }
    };

    public Resources {
        devices = Copies.list(devices);
        hugepageLimits = Copies.list(hugepageLimits);
        rdma = Copies.map(rdma);
        unified = Copies.map(unified);
    }
}
