package dev.nido.oci;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Defensive copies for record components: absent collections become empty, order is kept. */
final class Copies {
    private Copies() {
    }

    /** An unmodifiable copy; {@code null} becomes the empty list (the spec treats both alike). */
    static <T> List<T> list(List<T> list) {
        return list == null ? List.of() : List.copyOf(list);
    }

    /** An unmodifiable copy keeping insertion order, so a spec writes back as it was read. */
    static <K, V> Map<K, V> map(Map<K, V> map) {
        return map == null || map.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
