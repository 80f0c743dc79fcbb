package dev.nido.oci;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** A condition on syscall argument {@code index} (0-5); values are uint64 bits. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"index", "value", "valueTwo", "op"})
public record SeccompArg(Long index, @Unsigned64 Long value, @Unsigned64 Long valueTwo, String op) {
}
