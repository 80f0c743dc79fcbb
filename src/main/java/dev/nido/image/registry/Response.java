package dev.nido.image.registry;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.Optional;

/**
 * An answer of the registry: the status and headers, the body read by the caller's handler when
 * the status is 2xx ({@code body}), or the start of the error body otherwise ({@code error}).
 *
 * @param uri the URI that answered (after redirects), to resolve a relative {@code Location}
 */
record Response<T>(int status, HttpHeaders headers, URI uri, T body, byte[] error) {
    Optional<String> header(String name) {
        return headers.firstValue(name);
    }

    boolean ok() {
        return status / 100 == 2;
    }

    /** What the registry said went wrong (its {@code errors} JSON), or the status alone. */
    String problem() {
        return "HTTP " + status + RegistryErrors.describe(error);
    }
}
