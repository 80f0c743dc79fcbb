package dev.nido.oci;

/** A per-device block I/O weight. */
public record WeightDevice(Long major, Long minor, Integer weight, Integer leafWeight) {
    /** Its JSON (see {@link JsonCodec}). */
    static final JsonCodec<WeightDevice> JSON = new JsonCodec<>() {
        @Override
        WeightDevice fromJson(JsonTree o) {
            return new WeightDevice(o.int64("major"), o.int64("minor"), o.int32("weight"), o.int32("leafWeight"));
        }

        @Override
        void toJson(JsonOut out, WeightDevice r) {
            out.field("major", r.major())
                    .field("minor", r.minor())
                    .field("weight", r.weight())
                    .field("leafWeight", r.leafWeight());
        }
    };
}
