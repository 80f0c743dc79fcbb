package dev.nido.oci;

/**
 * One of {@code process.rlimits}. The limits are uint64: 18446744073709551615 (RLIM_INFINITY)
 * reads as -1L, so compare them with {@link Long#compareUnsigned}. Written as runc writes them,
 * hard before soft.
 */
public record Rlimit(String type, Long soft, Long hard) {
    /** Its JSON: hard before soft, as runc writes them; both limits are uint64. */
    static final JsonCodec<Rlimit> JSON = new JsonCodec<>() {
        @Override
        Rlimit fromJson(JsonTree o) {
            return new Rlimit(o.string("type"), o.uint64("soft"), o.uint64("hard"));
        }

        @Override
        void toJson(JsonOut out, Rlimit r) {
            out.field("type", r.type()).uint64("hard", r.hard()).uint64("soft", r.soft());
        }
    };
}
