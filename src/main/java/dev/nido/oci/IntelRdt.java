package dev.nido.oci;

/** {@code linux.intelRdt}: resctrl class and schemata. Parsed for completeness; nido does not apply it. */
public record IntelRdt(
        String closID,
        String schemata,
        String l3CacheSchema,
        String memBwSchema,
        Boolean enableCMT,
        Boolean enableMBM) {
    /** Its JSON (see {@link JsonCodec}). */
    static final JsonCodec<IntelRdt> JSON = new JsonCodec<>() {
        @Override
        IntelRdt fromJson(JsonTree o) {
            return new IntelRdt(
                    o.string("closID"),
                    o.string("schemata"),
                    o.string("l3CacheSchema"),
                    o.string("memBwSchema"),
                    o.bool("enableCMT"),
                    o.bool("enableMBM"));
        }

        @Override
        void toJson(JsonOut out, IntelRdt r) {
            out.field("closID", r.closID())
                    .field("schemata", r.schemata())
                    .field("l3CacheSchema", r.l3CacheSchema())
                    .field("memBwSchema", r.memBwSchema())
                    .field("enableCMT", r.enableCMT())
                    .field("enableMBM", r.enableMBM());
        }
    };
}
