package dev.nido.oci;

/** One of {@code linux.namespaces}: a type ({@link NamespaceType}) and, to join one, a path. */
public record Namespace(String type, String path) {
    /** Its JSON (see {@link JsonCodec}). */
    static final JsonCodec<Namespace> JSON = new JsonCodec<>() {
        @Override
        Namespace fromJson(JsonTree o) {
            return new Namespace(o.string("type"), o.string("path"));
        }

        @Override
        void toJson(JsonOut out, Namespace r) {
            out.field("type", r.type()).field("path", r.path());
        }
    };

    /** A new namespace of this type. */
    public static Namespace of(NamespaceType type) {
        return new Namespace(type.jsonName(), null);
    }
}
