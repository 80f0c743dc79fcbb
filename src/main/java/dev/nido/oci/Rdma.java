package dev.nido.oci;

/** The rdma controller's limits for one device. */
public record Rdma(Long hcaHandles, Long hcaObjects) {
    /** Its JSON (see {@link JsonCodec}). */
    static final JsonCodec<Rdma> JSON = new JsonCodec<>() {
        @Override
        Rdma fromJson(JsonTree o) {
            return new Rdma(o.int64("hcaHandles"), o.int64("hcaObjects"));
        }

        @Override
        void toJson(JsonOut out, Rdma r) {
            out.field("hcaHandles", r.hcaHandles()).field("hcaObjects", r.hcaObjects());
        }
    };
}
