package dev.nido.oci;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** {@code process.execCPUAffinity}: CPU lists before and after exec (JSON {@code "initial"}, {@code "final"}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"initial", "final"})
public record ExecCpuAffinity(String initial, @JsonProperty("final") String finalCpus) {
}
