package dev.nido.oci;

import java.util.List;

/** {@code linux.resources.blockIO}: weights (10-1000) and per-device throttles. */
public record BlockIO(
        Integer weight,
        Integer leafWeight,
        List<WeightDevice> weightDevice,
        List<ThrottleDevice> throttleReadBpsDevice,
        List<ThrottleDevice> throttleWriteBpsDevice,
        List<ThrottleDevice> throttleReadIOPSDevice,
        List<ThrottleDevice> throttleWriteIOPSDevice) {
    /** Its JSON (see {@link JsonCodec}). */
    static final JsonCodec<BlockIO> JSON = new JsonCodec<>() {
        @Override
        BlockIO fromJson(JsonTree o) {
            return new BlockIO(
                    o.int32("weight"),
                    o.int32("leafWeight"),
                    o.list("weightDevice", WeightDevice.JSON),
                    o.list("throttleReadBpsDevice", ThrottleDevice.JSON),
                    o.list("throttleWriteBpsDevice", ThrottleDevice.JSON),
                    o.list("throttleReadIOPSDevice", ThrottleDevice.JSON),
                    o.list("throttleWriteIOPSDevice", ThrottleDevice.JSON));
        }

        @Override
        void toJson(JsonOut out, BlockIO r) {
            out.field("weight", r.weight())
                    .field("leafWeight", r.leafWeight())
                    .field("weightDevice", r.weightDevice())
                    .field("throttleReadBpsDevice", r.throttleReadBpsDevice())
                    .field("throttleWriteBpsDevice", r.throttleWriteBpsDevice())
                    .field("throttleReadIOPSDevice", r.throttleReadIOPSDevice())
                    .field("throttleWriteIOPSDevice", r.throttleWriteIOPSDevice());
        }
    };

    public BlockIO {
        weightDevice = Copies.list(weightDevice);
        throttleReadBpsDevice = Copies.list(throttleReadBpsDevice);
        throttleWriteBpsDevice = Copies.list(throttleWriteBpsDevice);
        throttleReadIOPSDevice = Copies.list(throttleReadIOPSDevice);
        throttleWriteIOPSDevice = Copies.list(throttleWriteIOPSDevice);
    }
}
