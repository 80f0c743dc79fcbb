package dev.nido.oci;

/**
 * The JSON codec of the spec layer. {@link JsonParser} turns text into a {@link JsonTree}, which
 * records read through their {@link JsonCodec}s (other types through {@link JsonReader});
 * {@link JsonOut} writes values back. Strict about types (a string is not a number, 1.5 is not an
 * integer), tolerant of unknown fields (specs carry extensions), and never writing nulls or empty
 * lists, so a spec written back is as small as the one read.
 *
 * <p>No Jackson: jackson-databind's start-up work (hundreds of classes, introspection, annotation
 * proxies) cost every {@code nido-runtime} start ~500 ms (~250 ms with the JDK's AOT cache) for
 * one small file, and even jackson-core's parser costs ~15 ms to initialise. This is plain code.
 */
public final class Json {
    private Json() {
    }

    /** One line, no spaces: for files the runtime keeps and for pipes to hooks. */
    public static byte[] writeCompact(Object value) {
        JsonOut out = new JsonOut(null);
        out.value(value);
        return out.toBytes();
    }

    /** Indented with tabs, {@code "key": value}, a trailing newline: what {@code runc spec} writes. */
    public static byte[] writePretty(Object value) {
        return writePretty(value, "\t");
    }

    /** As {@link #writePretty(Object)} with the given indent (runc's {@code state} uses two spaces). */
    public static byte[] writePretty(Object value, String indent) {
        JsonOut out = new JsonOut(indent);
        out.value(value);
        return out.newLine().toBytes();
    }

    /**
     * Reads {@code json} as {@code type}. Any problem becomes a {@link SpecException} whose message
     * names {@code sourceName} and the JSON path or line and column, never a Java class.
     */
    public static <T> T read(byte[] json, Class<T> type, String sourceName) {
        try {
            JsonTree document = JsonParser.parse(json);
            if (document.isNull()) {
                throw new SpecException(sourceName + ": expected a JSON object, got null");
            }
            return type.cast(JsonReader.read(document, type));
        } catch (JsonProblem e) {
            throw new SpecException(sourceName + ": " + e.getMessage());
        }
    }
}
