package dev.nido.oci;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Collects {@code path: problem} lines, with the checks every rule needs. */
final class Violations {
    static final long UINT32_MAX = 4294967295L;

    private final List<String> lines = new ArrayList<>();

    void add(String path, String problem) {
        lines.add(path.isEmpty() ? problem : path + ": " + problem);
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    /** Present and not empty, else "must be set"; returns whether it was. */
    boolean required(String path, String value) {
        if (value == null || value.isEmpty()) {
            add(path, "must be set");
            return false;
        }
        return true;
    }

    /** An absolute path ({@code null} is left to {@link #required}). */
    void absolute(String path, String value) {
        if (value != null && !value.startsWith("/")) {
            add(path, "must be an absolute path, got " + JsonPath.quote(value));
        }
    }

    /** A uint32 id: 0 to 4294967295. */
    void uint32(String path, Long value) {
        range(path, value, 0, UINT32_MAX);
    }

    void range(String path, Long value, long min, long max) {
        if (value != null && (value < min || value > max)) {
            add(path, value + " is out of range (expected " + min + " to " + max + ")");
        }
    }

    /** A value from a closed set, or "unknown what "x" (expected one of a, b, c)". */
    void oneOf(String path, String what, String value, Collection<String> allowed) {
        if (value != null && !allowed.contains(value)) {
            add(path, "unknown " + what + " " + JsonPath.quote(value) + " (expected one of "
                    + String.join(", ", allowed) + ")");
        }
    }

    /** Environment entries of the form KEY=value. */
    void environment(String path, List<String> env) {
        for (int i = 0; i < env.size(); i++) {
            String entry = env.get(i);
            if (entry.indexOf('=') <= 0) {
                add(JsonPath.index(path, i), "expected KEY=value, got " + JsonPath.quote(entry));
            }
        }
    }
}
