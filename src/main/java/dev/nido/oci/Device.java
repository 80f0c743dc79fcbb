package dev.nido.oci;

/** One of {@code linux.devices}: a node to create ({@code c}, {@code b}, {@code u} or {@code p}). */
public record Device(String type, String path, Long major, Long minor, Integer fileMode, Long uid, Long gid) {
    /** Its JSON, fields in the spec's order (path first). */
    static final JsonCodec<Device> JSON = new JsonCodec<>() {
        @Override
        Device fromJson(JsonTree o) {
            return new Device(
                    o.string("type"),
                    o.string("path"),
                    o.int64("major"),
                    o.int64("minor"),
                    o.int32("fileMode"),
                    o.int64("uid"),
                    o.int64("gid"));
        }

        @Override
        void toJson(JsonOut out, Device r) {
            out.field("path", r.path())
                    .field("type", r.type())
                    .field("major", r.major())
                    .field("minor", r.minor())
                    .field("fileMode", r.fileMode())
                    .field("uid", r.uid())
                    .field("gid", r.gid());
        }
    };
}
