package dev.nido.oci;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** A uid or gid map line: {@code size} ids from {@code containerID} map to {@code hostID} (uint32 each). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"containerID", "hostID", "size"})
public record IdMapping(Long containerID, Long hostID, Long size) {
    public static IdMapping of(long containerID, long hostID, long size) {
        return new IdMapping(containerID, hostID, size);
    }
}
