package dev.nido.oci;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** {@code linux.resources.cpu}; times in microseconds. Unsigned fields hold uint64 bits. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"shares", "quota", "burst", "period", "realtimeRuntime", "realtimePeriod", "cpus", "mems",
    "idle"})
public record Cpu(
        @Unsigned64 Long shares,
        Long quota,
        @Unsigned64 Long burst,
        @Unsigned64 Long period,
        Long realtimeRuntime,
        @Unsigned64 Long realtimePeriod,
        String cpus,
        String mems,
        Long idle) {
}
