package dev.nido.oci;

/** A net_prio priority for one interface. */
public record InterfacePriority(String name, Long priority) {
    /** Its JSON (see {@link JsonCodec}). */
    static final JsonCodec<InterfacePriority> JSON = new JsonCodec<>() {
        @Override
        InterfacePriority fromJson(JsonTree o) {
            return new InterfacePriority(o.string("name"), o.int64("priority"));
        }

        @Override
        void toJson(JsonOut out, InterfacePriority r) {
            out.field("name", r.name()).field("priority", r.priority());
        }
    };
}
