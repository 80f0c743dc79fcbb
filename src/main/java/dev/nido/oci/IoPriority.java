package dev.nido.oci;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** {@code process.ioPriority}: class ({@code IOPRIO_CLASS_RT|BE|IDLE}, JSON {@code "class"}) and level. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"class", "priority"})
public record IoPriority(@JsonProperty("class") String ioClass, Integer priority) {
}
