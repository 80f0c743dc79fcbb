package dev.nido.oci;

/** {@code process.consoleSize}, in characters. */
public record ConsoleSize(Long height, Long width) {
    /** Its JSON (see {@link JsonCodec}). */
    static final JsonCodec<ConsoleSize> JSON = new JsonCodec<>() {
        @Override
        ConsoleSize fromJson(JsonTree o) {
            return new ConsoleSize(o.int64("height"), o.int64("width"));
        }

        @Override
        void toJson(JsonOut out, ConsoleSize r) {
            out.field("height", r.height()).field("width", r.width());
        }
    };
}
