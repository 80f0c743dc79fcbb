package dev.nido.image.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The challenges of a {@code WWW-Authenticate} header (RFC 7235 §4.1): {@code Bearer
 * realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:a/b:pull"}.
 * Values may be quoted strings holding commas and backslash escapes, or bare tokens; one header may
 * carry several challenges ({@code Basic realm="x", Bearer realm="y"}).
 */
final class WwwAuthenticate {
    /** One challenge: the scheme in lower case and its parameters (names in lower case). */
    record Challenge(String scheme, Map<String, String> params) {
        String param(String name) {
            return params.get(name);
        }
    }

    private final String text;
    private int pos;

    private WwwAuthenticate(String text) {
        this.text = text;
    }

    /** Every challenge of every header value; unparseable rest is ignored (a registry bug, not ours to fail on). */
    static List<Challenge> parse(List<String> headerValues) {
        List<Challenge> out = new ArrayList<>();
        for (String v : headerValues) {
            out.addAll(new WwwAuthenticate(v).challenges());
        }
        return out;
    }

    static List<Challenge> parse(String headerValue) {
        return new WwwAuthenticate(headerValue).challenges();
    }

    private List<Challenge> challenges() {
        List<Challenge> out = new ArrayList<>();
        skip(" \t,");
        while (pos < text.length()) {
            String scheme = token();
            if (scheme.isEmpty()) {
                break; // not a token: give up on the rest
            }
            out.add(new Challenge(scheme.toLowerCase(Locale.ROOT), params()));
            skip(" \t,");
        }
        return out;
    }

    /** {@code name=value} pairs up to the next challenge's scheme (a token not followed by '='). */
    private Map<String, String> params() {
        Map<String, String> params = new LinkedHashMap<>();
        while (true) {
            skip(" \t,");
            int start = pos;
            String name = token();
            skip(" \t");
            if (name.isEmpty() || !at('=')) {
                pos = start; // the next challenge (or the end)
                return params;
            }
            pos++;
            skip(" \t");
            String value = at('"') ? quoted() : token();
            params.put(name.toLowerCase(Locale.ROOT), value);
        }
    }

    private String quoted() {
        StringBuilder b = new StringBuilder();
        pos++; // opening quote
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == '"') {
                return b.toString();
            }
            if (c == '\\' && pos < text.length()) {
                c = text.charAt(pos++);
            }
            b.append(c);
        }
        return b.toString(); // unterminated: take what there is
    }

    /** An RFC 7230 token (also accepting '/' and ':', which bare realms and scopes contain in the wild). */
    private String token() {
        int start = pos;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c <= ' ' || c >= 127 || "\"(),;<=>?@[\\]{}".indexOf(c) >= 0) {
                break;
            }
            pos++;
        }
        return text.substring(start, pos);
    }

    private boolean at(char c) {
        return pos < text.length() && text.charAt(pos) == c;
    }

    private void skip(String chars) {
        while (pos < text.length() && chars.indexOf(text.charAt(pos)) >= 0) {
            pos++;
        }
    }
}
