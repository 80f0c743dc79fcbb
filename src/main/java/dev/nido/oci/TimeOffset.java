package dev.nido.oci;

/** A clock offset in a time namespace ({@code linux.timeOffsets.monotonic} / {@code .boottime}). */
public record TimeOffset(Long secs, Long nanosecs) {
    /** Its JSON (see {@link JsonCodec}). */
    static final JsonCodec<TimeOffset> JSON = new JsonCodec<>() {
        @Override
        TimeOffset fromJson(JsonTree o) {
            return new TimeOffset(o.int64("secs"), o.int64("nanosecs"));
        }

        @Override
        void toJson(JsonOut out, TimeOffset r) {
            out.field("secs", r.secs()).field("nanosecs", r.nanosecs());
        }
    };
}
