package dev.nido.image.registry;

import dev.nido.image.ImageException;
import dev.nido.oci.Json;
import dev.nido.oci.SpecException;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Turns what went wrong on the wire into one line a user can act on. */
final class RegistryErrors {
    private RegistryErrors() {
    }

    /**
     * The registry's own explanation from an error body ({@code {"errors":[{"code":..,"message":..}]}}
     * in the distribution spec) as {@code ": CODE: message"}, or the start of a text body, or nothing.
     */
    static String describe(byte[] body) {
        if (body == null || body.length == 0) {
            return "";
        }
        try {
            if (Json.read(body, Object.class, "error") instanceof Map<?, ?> m && m.get("errors") instanceof List<?> l) {
                List<String> parts = new ArrayList<>();
                for (Object o : l) {
                    if (o instanceof Map<?, ?> e) {
                        parts.add(join(e.get("code"), e.get("message")));
                    }
                }
                return parts.isEmpty() ? "" : ": " + String.join("; ", parts);
            }
        } catch (SpecException e) {
            // not JSON: fall through to the text
        }
        String text = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8).strip();
        text = text.replaceAll("\\s+", " ");
        return text.isEmpty() || text.startsWith("<") ? "" : ": " + text;
    }

    private static String join(Object code, Object message) {
        String c = code == null ? "" : code.toString();
        String m = message == null ? "" : message.toString();
        return c.isEmpty() ? m : m.isEmpty() ? c : c + ": " + m;
    }

    /** A failure to talk to the registry at all: connection refused, unknown host, TLS, timeouts. */
    static ImageException io(String registry, String method, URI uri, IOException e, boolean insecure) {
        String where = registry + " (" + method + " " + uri + ")";
        String plainHttpHint = insecure ? "" : "; if it serves plain http, allow that with --insecure " + registry;
        if (has(e, UnknownHostException.class) || has(e, UnresolvedAddressException.class)) {
            return new ImageException("cannot reach registry " + where + ": unknown host " + uri.getHost()
                    + "; check the registry name", e);
        }
        if (has(e, HttpConnectTimeoutException.class)) {
            return new ImageException("cannot reach registry " + where + ": connection timed out; check the address"
                    + " and the network", e);
        }
        if (has(e, HttpTimeoutException.class)) {
            return new ImageException("registry " + where + " did not answer in time; try again later", e);
        }
        if (has(e, NoRouteToHostException.class)) {
            return new ImageException("cannot reach registry " + where + ": no route to host; check the address"
                    + " and the network", e);
        }
        if (has(e, ConnectException.class)) {
            return new ImageException("cannot connect to registry " + where + ": connection refused; check the"
                    + " address and port" + plainHttpHint, e);
        }
        if (has(e, SSLHandshakeException.class) && !plainText(e)) {
            return new ImageException("registry " + where + ": TLS handshake failed (" + rootMessage(e)
                    + "); the certificate may not be trusted" + plainHttpHint, e);
        }
        if (has(e, SSLException.class)) {
            return new ImageException("registry " + where + " did not speak TLS (" + rootMessage(e) + ")"
                    + (insecure ? "" : "; if it serves plain http, allow that with --insecure " + registry), e);
        }
        return new ImageException("registry " + where + ": " + rootMessage(e), e);
    }

    /** The JDK's words for a TLS client that got a plain-text answer. */
    private static boolean plainText(Throwable e) {
        String m = rootMessage(e);
        return m.contains("Unsupported or unrecognized SSL message") || m.contains("plaintext");
    }

    static boolean has(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** The deepest message of a cause chain (the JDK's HTTP client wraps the useful one). */
    static String rootMessage(Throwable e) {
        String m = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                m = t.getMessage();
            }
        }
        return m != null ? m : e.getClass().getSimpleName();
    }
}
