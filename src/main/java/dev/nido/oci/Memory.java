package dev.nido.oci;

/** {@code linux.resources.memory}, bytes; -1 means unlimited. {@code kernel} is deprecated. */
public record Memory(
        Long limit,
        Long reservation,
        Long swap,
        Long kernel,
        Long kernelTCP,
        Long swappiness,
        Boolean disableOOMKiller,
        Boolean useHierarchy,
        Boolean checkBeforeUpdate) {
    /** Its JSON (see {@link JsonCodec}); {@code swappiness} is uint64. */
    static final JsonCodec<Memory> JSON = new JsonCodec<>() {
        @Override
        Memory fromJson(JsonTree o) {
            return new Memory(
                    o.int64("limit"),
                    o.int64("reservation"),
                    o.int64("swap"),
                    o.int64("kernel"),
                    o.int64("kernelTCP"),
                    o.uint64("swappiness"),
                    o.bool("disableOOMKiller"),
                    o.bool("useHierarchy"),
                    o.bool("checkBeforeUpdate"));
        }

        @Override
        void toJson(JsonOut out, Memory r) {
            out.field("limit", r.limit())
                    .field("reservation", r.reservation())
                    .field("swap", r.swap())
                    .field("kernel", r.kernel())
                    .field("kernelTCP", r.kernelTCP())
                    .uint64("swappiness", r.swappiness())
                    .field("disableOOMKiller", r.disableOOMKiller())
                    .field("useHierarchy", r.useHierarchy())
                    .field("checkBeforeUpdate", r.checkBeforeUpdate());
        }
    };
}
