package dev.nido.oci;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** A clock offset in a time namespace ({@code linux.timeOffsets.monotonic} / {@code .boottime}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"secs", "nanosecs"})
public record TimeOffset(Long secs, Long nanosecs) {
}
