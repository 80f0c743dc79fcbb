package dev.nido.oci;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** One of {@code linux.namespaces}: a type ({@link NamespaceType}) and, to join one, a path. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"type", "path"})
public record Namespace(String type, String path) {
    /** A new namespace of this type. */
    public static Namespace of(NamespaceType type) {
        return new Namespace(type.jsonName(), null);
    }
}
