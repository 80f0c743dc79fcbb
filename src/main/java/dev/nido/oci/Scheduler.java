package dev.nido.oci;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/** {@code process.scheduler}: sched_setattr(2) policy and parameters; deadline times in ns (uint64). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"policy", "nice", "priority", "flags", "runtime", "deadline", "period"})
public record Scheduler(
        String policy,
        Integer nice,
        Integer priority,
        List<String> flags,
        @Unsigned64 Long runtime,
        @Unsigned64 Long deadline,
        @Unsigned64 Long period) {
    public Scheduler {
        flags = Copies.list(flags);
    }
}
