package dev.nido.oci;

import java.util.List;

/** {@code process.scheduler}: sched_setattr(2) policy and parameters; deadline times in ns (uint64). */
public record Scheduler(
        String policy,
        Integer nice,
        Integer priority,
        List<String> flags,
        Long runtime,
        Long deadline,
        Long period) {
    /** Its JSON (see {@link JsonCodec}); {@code runtime}, {@code deadline}, {@code period} are uint64. */
    static final JsonCodec<Scheduler> JSON = new JsonCodec<>() {
        @Override
        Scheduler fromJson(JsonTree o) {
            return new Scheduler(
                    o.string("policy"),
                    o.int32("nice"),
                    o.int32("priority"),
                    o.strings("flags"),
                    o.uint64("runtime"),
                    o.uint64("deadline"),
                    o.uint64("period"));
        }

        @Override
        void toJson(JsonOut out, Scheduler r) {
            out.field("policy", r.policy())
                    .field("nice", r.nice())
                    .field("priority", r.priority())
                    .field("flags", r.flags())
                    .uint64("runtime", r.runtime())
                    .uint64("deadline", r.deadline())
                    .uint64("period", r.period());
        }
    };

    public Scheduler {
        flags = Copies.list(flags);
    }
}
