package dev.nido.oci;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** One device-controller rule: allow or deny {@code access} (letters of rwm) to type/major/minor. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"allow", "type", "major", "minor", "access"})
public record DeviceCgroup(Boolean allow, String type, Long major, Long minor, String access) {
}
