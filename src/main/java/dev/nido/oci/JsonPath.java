package dev.nido.oci;

import java.util.regex.Pattern;

/** Builds the JSON paths that name a field in messages: {@code linux.namespaces[2].type}. */
final class JsonPath {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private JsonPath() {
    }

    /** {@code parent.name}, or just {@code name} at the top. */
    static String field(String parent, String name) {
        return parent.isEmpty() ? name : parent + "." + name;
    }

    /** {@code parent[index]}. */
    static String index(String parent, int index) {
        return parent + "[" + index + "]";
    }

    /** A map key: {@code parent.key} when the key is a plain word, else {@code parent["net.ipv4.x"]}. */
    static String key(String parent, String key) {
        if (IDENTIFIER.matcher(key).matches()) {
            return field(parent, key);
        }
        return parent + "[" + quote(key) + "]";
    }

    /** A string as it would appear in JSON, shortened when long, for "got ..." messages. */
    static String quote(String s) {
        String shown = s.length() > 64 ? s.substring(0, 61) + "..." : s;
        StringBuilder b = new StringBuilder("\"");
        for (char c : shown.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
