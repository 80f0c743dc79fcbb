package dev.nido.image.registry;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A user name and password (or access token) for one registry. {@link #toString()} hides the password. */
public record Credential(String username, String password) {
    public Credential {
        if (username == null || username.isEmpty() || username.contains(":")) {
            throw new IllegalArgumentException("user name must be non-empty and without ':'");
        }
        if (password == null) {
            throw new IllegalArgumentException("password must not be null");
        }
    }

    /** {@code base64(user:password)}: the {@code auth} field of the credentials files. */
    String encoded() {
        return Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** The value of an {@code Authorization} header (RFC 7617). */
    String basicHeader() {
        return "Basic " + encoded();
    }

    /** The inverse of {@link #encoded()}; null if {@code auth} is not {@code base64(user:password)}. */
    static Credential decode(String auth) {
        String text;
        try {
            text = new String(Base64.getDecoder().decode(auth.trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = text.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        return new Credential(text.substring(0, colon), text.substring(colon + 1));
    }

    @Override
    public String toString() {
        return "Credential[" + username + ", ****]";
    }
}
