package dev.nido.oci;

/** A uid or gid map line: {@code size} ids from {@code containerID} map to {@code hostID} (uint32 each). */
public record IdMapping(Long containerID, Long hostID, Long size) {
    /** Its JSON (see {@link JsonCodec}). */
    static final JsonCodec<IdMapping> JSON = new JsonCodec<>() {
        @Override
        IdMapping fromJson(JsonTree o) {
            return new IdMapping(o.int64("containerID"), o.int64("hostID"), o.int64("size"));
        }

        @Override
        void toJson(JsonOut out, IdMapping r) {
            out.field("containerID", r.containerID()).field("hostID", r.hostID()).field("size", r.size());
        }
    };

    public static IdMapping of(long containerID, long hostID, long size) {
        return new IdMapping(containerID, hostID, size);
    }
}
