package dev.nido.oci;

/** {@code linux.resources.cpu}; times in microseconds. Unsigned fields hold uint64 bits. */
public record Cpu(
        Long shares,
        Long quota,
        Long burst,
        Long period,
        Long realtimeRuntime,
        Long realtimePeriod,
        String cpus,
        String mems,
        Long idle) {
    /**
     * Its JSON (see {@link JsonCodec}); {@code shares}, {@code burst}, {@code period},
     * {@code realtimePeriod} are uint64.
     */
    static final JsonCodec<Cpu> JSON = new JsonCodec<>() {
        @Override
        Cpu fromJson(JsonTree o) {
            return new Cpu(
                    o.uint64("shares"),
                    o.int64("quota"),
                    o.uint64("burst"),
                    o.uint64("period"),
                    o.int64("realtimeRuntime"),
                    o.uint64("realtimePeriod"),
                    o.string("cpus"),
                    o.string("mems"),
                    o.int64("idle"));
        }

        @Override
        void toJson(JsonOut out, Cpu r) {
            out.uint64("shares", r.shares())
                    .field("quota", r.quota())
                    .uint64("burst", r.burst())
                    .uint64("period", r.period())
                    .field("realtimeRuntime", r.realtimeRuntime())
                    .uint64("realtimePeriod", r.realtimePeriod())
                    .field("cpus", r.cpus())
                    .field("mems", r.mems())
                    .field("idle", r.idle());
        }
    };
}
