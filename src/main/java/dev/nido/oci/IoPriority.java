package dev.nido.oci;

/** {@code process.ioPriority}: class ({@code IOPRIO_CLASS_RT|BE|IDLE}, JSON {@code "class"}) and level. */
public record IoPriority(String ioClass, Integer priority) {
    /** Its JSON: {@code ioClass} is {@code "class"}. */
    static final JsonCodec<IoPriority> JSON = new JsonCodec<>() {
        @Override
        IoPriority fromJson(JsonTree o) {
            return new IoPriority(o.string("class"), o.int32("priority"));
        }

        @Override
        void toJson(JsonOut out, IoPriority r) {
            out.field("class", r.ioClass()).field("priority", r.priority());
        }
    };
}
