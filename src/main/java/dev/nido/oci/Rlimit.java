package dev.nido.oci;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One of {@code process.rlimits}. The limits are uint64: 18446744073709551615 (RLIM_INFINITY)
 * reads as -1L, so compare them with {@link Long#compareUnsigned}. Written as runc writes them,
 * hard before soft.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"type", "hard", "soft"})
public record Rlimit(String type, @Unsigned64 Long soft, @Unsigned64 Long hard) {
}
