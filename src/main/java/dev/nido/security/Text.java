package dev.nido.security;

/** Pieces of error messages: quoted input and lists of the names that were expected. */
final class Text {
    private Text() {
    }

    /** A string as JSON would show it, for "unknown operator "X"" messages. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length() && i < 64; i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
            } else {
                b.append(c);
            }
        }
        return b.append(s.length() > 64 ? "...\"" : "\"").toString();
    }

    /** The names of {@code constants}, comma separated. */
    static String names(Enum<?>[] constants) {
        StringBuilder b = new StringBuilder();
        for (Enum<?> c : constants) {
            b.append(b.isEmpty() ? "" : ", ").append(c.name());
        }
        return b.toString();
    }
}
