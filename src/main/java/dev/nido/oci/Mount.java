package dev.nido.oci;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/** One of {@code mounts}. Options are fstab-style; see {@link Mounts#parse(List)}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"destination", "type", "source", "options", "uidMappings", "gidMappings"})
public record Mount(
        String destination,
        String type,
        String source,
        List<String> options,
        List<IdMapping> uidMappings,
        List<IdMapping> gidMappings) {
    public Mount {
        options = Copies.list(options);
        uidMappings = Copies.list(uidMappings);
        gidMappings = Copies.list(gidMappings);
    }

    /** A mount without id-mapping. */
    public static Mount of(String destination, String type, String source, List<String> options) {
        return new Mount(destination, type, source, options, null, null);
    }

    public Mount withDestination(String newDestination) {
        return new Mount(newDestination, type, source, options, uidMappings, gidMappings);
    }

    public Mount withOptions(List<String> newOptions) {
        return new Mount(destination, type, source, newOptions, uidMappings, gidMappings);
    }
}
