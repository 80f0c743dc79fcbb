package dev.nido.oci;

import java.util.List;

/** {@code linux.personality}: execution domain {@code LINUX} or {@code LINUX32}. */
public record Personality(String domain, List<String> flags) {
    /** Its JSON (see {@link JsonCodec}). */
    static final JsonCodec<Personality> JSON = new JsonCodec<>() {
        @Override
        Personality fromJson(JsonTree o) {
            return new Personality(o.string("domain"), o.strings("flags"));
        }

        @Override
        void toJson(JsonOut out, Personality r) {
            out.field("domain", r.domain()).field("flags", r.flags());
        }
    };

    public Personality {
        flags = Copies.list(flags);
    }
}
