package dev.nido.oci;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** {@code linux.intelRdt}: resctrl class and schemata. Parsed for completeness; nido does not apply it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"closID", "schemata", "l3CacheSchema", "memBwSchema", "enableCMT", "enableMBM"})
public record IntelRdt(
        String closID,
        String schemata,
        String l3CacheSchema,
        String memBwSchema,
        Boolean enableCMT,
        Boolean enableMBM) {
}
