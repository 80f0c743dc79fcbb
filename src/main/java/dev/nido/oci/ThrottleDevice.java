package dev.nido.oci;

/** A per-device block I/O limit: bytes or operations per second (uint64). */
public record ThrottleDevice(Long major, Long minor, Long rate) {
    /** Its JSON (see {@link JsonCodec}); {@code rate} is uint64. */
    static final JsonCodec<ThrottleDevice> JSON = new JsonCodec<>() {
        @Override
        ThrottleDevice fromJson(JsonTree o) {
            return new ThrottleDevice(o.int64("major"), o.int64("minor"), o.uint64("rate"));
        }

        @Override
        void toJson(JsonOut out, ThrottleDevice r) {
            out.field("major", r.major()).field("minor", r.minor()).uint64("rate", r.rate());
        }
    };
}
