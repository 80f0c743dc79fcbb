package dev.nido.oci;

/** A value of {@code linux.netDevices}: the name the host interface gets inside the container. */
public record NetDevice(String name) {
    /** Its JSON (see {@link JsonCodec}). */
    static final JsonCodec<NetDevice> JSON = new JsonCodec<>() {
        @Override
        NetDevice fromJson(JsonTree o) {
            return new NetDevice(o.string("name"));
        }

        @Override
        void toJson(JsonOut out, NetDevice r) {
            out.field("name", r.name());
        }
    };
}
