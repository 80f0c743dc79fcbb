package dev.nido.oci;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/** {@code linux.personality}: execution domain {@code LINUX} or {@code LINUX32}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"domain", "flags"})
public record Personality(String domain, List<String> flags) {
    public Personality {
        flags = Copies.list(flags);
    }
}
