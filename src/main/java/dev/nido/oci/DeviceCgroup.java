package dev.nido.oci;

/** One device-controller rule: allow or deny {@code access} (letters of rwm) to type/major/minor. */
public record DeviceCgroup(Boolean allow, String type, Long major, Long minor, String access) {
    /** Its JSON (see {@link JsonCodec}). */
    static final JsonCodec<DeviceCgroup> JSON = new JsonCodec<>() {
        @Override
        DeviceCgroup fromJson(JsonTree o) {
            return new DeviceCgroup(
                    o.bool("allow"),
                    o.string("type"),
                    o.int64("major"),
                    o.int64("minor"),
                    o.string("access"));
        }

        @Override
        void toJson(JsonOut out, DeviceCgroup r) {
            out.field("allow", r.allow())
                    .field("type", r.type())
                    .field("major", r.major())
                    .field("minor", r.minor())
                    .field("access", r.access());
        }
    };
}
