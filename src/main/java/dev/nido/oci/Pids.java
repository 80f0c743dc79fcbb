package dev.nido.oci;

/** {@code linux.resources.pids}: the maximum number of tasks; -1 or 0 means no limit. */
public record Pids(Long limit) {
    /** Its JSON (see {@link JsonCodec}). */
    static final JsonCodec<Pids> JSON = new JsonCodec<>() {
        @Override
        Pids fromJson(JsonTree o) {
            return new Pids(o.int64("limit"));
        }

        @Override
        void toJson(JsonOut out, Pids r) {
            out.field("limit", r.limit());
        }
    };
}
