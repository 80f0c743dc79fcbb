package dev.nido.oci;

/** {@code root}: the rootfs directory, absolute or relative to the bundle. */
public record Root(String path, Boolean readonly) {
    /** Its JSON (see {@link JsonCodec}). */
    static final JsonCodec<Root> JSON = new JsonCodec<>() {
        @Override
        Root fromJson(JsonTree o) {
            return new Root(o.string("path"), o.bool("readonly"));
        }

        @Override
        void toJson(JsonOut out, Root r) {
            out.field("path", r.path()).field("readonly", r.readonly());
        }
    };
}
