package dev.nido.oci;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Typed reads from an untyped JSON object ({@code Json.read(bytes, Object.class, name)}), for the
 * small records outside this package that a command reads at every start: reading a record by
 * reflection costs ~30 ms in a fresh JVM (see {@link RecordModel}), a map costs nothing.
 */
public record JsonMap(Map<String, Object> map, String source) {

    /** Parses {@code json}, which must be an object; errors name {@code source}. */
    @SuppressWarnings("unchecked")
    public static JsonMap parse(byte[] json, String source) {
        Object o = Json.read(json, Object.class, source);
        if (!(o instanceof Map<?, ?> m)) {
            throw new SpecException(source + ": expected a JSON object");
        }
        return new JsonMap((Map<String, Object>) m, source);
    }

    public String string(String key) {
        Object v = map.get(key);
        if (v != null && !(v instanceof String)) {
            throw wrong(key, "a string");
        }
        return (String) v;
    }

    public long number(String key, long absent) {
        Object v = map.get(key);
        if (v == null) {
            return absent;
        }
        if (!(v instanceof Number n)) {
            throw wrong(key, "a number");
        }
        return n.longValue();
    }

    public Integer integer(String key) {
        Object v = map.get(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Number n)) {
            throw wrong(key, "a number");
        }
        return n.intValue();
    }

    public boolean bool(String key) {
        Object v = map.get(key);
        if (v != null && !(v instanceof Boolean)) {
            throw wrong(key, "true or false");
        }
        return Boolean.TRUE.equals(v);
    }

    public List<String> strings(String key) {
        Object v = map.get(key);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List<?> l)) {
            throw wrong(key, "a list of strings");
        }
        List<String> out = new ArrayList<>();
        for (Object e : l) {
            if (!(e instanceof String s)) {
                throw wrong(key, "a list of strings");
            }
            out.add(s);
        }
        return out;
    }

    /** A nested object, or null. */
    @SuppressWarnings("unchecked")
    public JsonMap object(String key) {
        Object v = map.get(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw wrong(key, "an object");
        }
        return new JsonMap((Map<String, Object>) m, source + ": " + key);
    }

    private SpecException wrong(String key, String expected) {
        return new SpecException(source + ": " + key + ": expected " + expected);
    }
}
