package dev.nido.oci;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** One of {@code linux.devices}: a node to create ({@code c}, {@code b}, {@code u} or {@code p}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"path", "type", "major", "minor", "fileMode", "uid", "gid"})
public record Device(String type, String path, Long major, Long minor, Integer fileMode, Long uid, Long gid) {
}
