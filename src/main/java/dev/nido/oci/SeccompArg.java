package dev.nido.oci;

/** A condition on syscall argument {@code index} (0-5); values are uint64 bits. */
public record SeccompArg(Long index, Long value, Long valueTwo, String op) {
    /** Its JSON (see {@link JsonCodec}); {@code value}, {@code valueTwo} are uint64. */
    static final JsonCodec<SeccompArg> JSON = new JsonCodec<>() {
        @Override
        SeccompArg fromJson(JsonTree o) {
            return new SeccompArg(o.int64("index"), o.uint64("value"), o.uint64("valueTwo"), o.string("op"));
        }

        @Override
        void toJson(JsonOut out, SeccompArg r) {
            out.field("index", r.index())
                    .uint64("value", r.value())
                    .uint64("valueTwo", r.valueTwo())
                    .field("op", r.op());
        }
    };
}
