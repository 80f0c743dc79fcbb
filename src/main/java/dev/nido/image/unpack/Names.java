package dev.nido.image.unpack;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Entry names: cleaning them inside the root and quoting them for messages. */
final class Names {
    /** Names longer than this are cut in messages (a hostile name may be a megabyte long). */
    private static final int MAX_QUOTED = 512;

    private Names() {
    }

    /**
     * {@code "name"} for a message, with quotes, backslashes and control characters escaped so
     * that a hostile name cannot forge the rest of the line.
     */
    static String quote(String name) {
        StringBuilder s = new StringBuilder(Math.min(name.length(), MAX_QUOTED) + 2).append('"');
        int n = Math.min(name.length(), MAX_QUOTED);
        for (int i = 0; i < n; i++) {
            char c = name.charAt(i);
            if (c == '"' || c == '\\') {
                s.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                s.append(String.format("\\x%02x", (int) c));
            } else {
                s.append(c);
            }
        }
        if (name.length() > MAX_QUOTED) {
            s.append("…");
        }
        return s.append('"').toString();
    }

    /**
     * The name's components after dropping empty ones and {@code .} and applying {@code ..}
     * lexically, joined with {@code /}: {@code ./a//b/../c/} is {@code a/c}, {@code /etc/x} is
     * {@code etc/x}, {@code ./} is the empty string (the root). Null when a {@code ..} climbs
     * above the root.
     */
    static String clean(String name) {
        if (isSimple(name)) {
            return name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        }
        StringBuilder out = new StringBuilder(name.length());
        int i = 0;
        int n = name.length();
        while (i < n) {
            int slash = name.indexOf('/', i);
            int end = slash < 0 ? n : slash;
            int len = end - i;
            if (len == 2 && name.charAt(i) == '.' && name.charAt(i + 1) == '.') {
                if (out.isEmpty()) {
                    return null;
                }
                int cut = out.lastIndexOf("/");
                out.setLength(Math.max(cut, 0));
            } else if (len > 0 && !(len == 1 && name.charAt(i) == '.')) {
                if (!out.isEmpty()) {
                    out.append('/');
                }
                out.append(name, i, end);
            }
            i = end + 1;
        }
        return out.toString();
    }

    /**
     * Whether the name is already clean (the common case, checked without allocating): no
     * leading slash, no empty, {@code .} or {@code ..} component; one trailing slash allowed.
     */
    private static boolean isSimple(String name) {
        int n = name.length();
        if (n == 0 || name.charAt(0) == '/') {
            return false;
        }
        int start = 0;
        for (int i = 0; i <= n; i++) {
            if (i == n || name.charAt(i) == '/') {
                int len = i - start;
                if (len == 0) {
                    return i == n; // a single trailing slash; an empty component elsewhere is not simple
                }
                if (name.charAt(start) == '.' && (len == 1 || (len == 2 && name.charAt(start + 1) == '.'))) {
                    return false;
                }
                start = i + 1;
            }
        }
        return true;
    }

    /** The last component of a clean name. */
    static String base(String clean) {
        return clean.substring(clean.lastIndexOf('/') + 1);
    }

    /** Everything before the last component of a clean name ("" for a top-level name). */
    static String parent(String clean) {
        int slash = clean.lastIndexOf('/');
        return slash < 0 ? "" : clean.substring(0, slash);
    }

    /** Decodes {@code %XX} escapes (the names of libarchive's {@code LIBARCHIVE.xattr.*} records). */
    static String percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < s.length()) {
            int c = s.codePointAt(i);
            if (c == '%' && i + 2 < s.length() && hex(s.charAt(i + 1)) >= 0 && hex(s.charAt(i + 2)) >= 0) {
                out.write(hex(s.charAt(i + 1)) << 4 | hex(s.charAt(i + 2)));
                i += 3;
            } else {
                out.writeBytes(Character.toString(c).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(c);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
