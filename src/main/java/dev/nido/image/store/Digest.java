package dev.nido.image.store;

import dev.nido.image.ImageException;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A content digest, {@code sha256:} and 64 lower-case hex digits (the only algorithm nido stores). */
public record Digest(String hex) {
    public Digest {
        if (hex == null || hex.length() != 64 || !isLowerHex(hex)) {
            throw new ImageException("digest \"sha256:" + hex + "\": expected 64 lower-case hex digits");
        }
    }

    /** Parses {@code sha256:HEX}; anything else is an error naming the text and {@code where} it came from. */
    public static Digest parse(String text, String where) {
        if (text == null || !text.startsWith("sha256:")) {
            throw new ImageException(where + ": digest \"" + text + "\" is not sha256:<64 hex digits>"
                    + (text != null && text.contains(":") ? " (only sha256 is supported)" : ""));
        }
        String hex = text.substring(7);
        if (hex.length() != 64 || !isLowerHex(hex)) {
            throw new ImageException(where + ": digest \"" + text + "\" is not sha256:<64 hex digits>");
        }
        return new Digest(hex);
    }

    public static Digest of(byte[] content) {
        return new Digest(HexFormat.of().formatHex(sha256().digest(content)));
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    static boolean isLowerHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /** The first 12 hex digits, as image ids are shown. */
    public String shortHex() {
        return hex.substring(0, 12);
    }

    @Override
    public String toString() {
        return "sha256:" + hex;
    }
}
