package dev.nido.cgroup.v1;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Parsing of cgroup statistic files shared by both versions ("key value" lines, single numbers). */
public final class Stats {
    private Stats() {
    }

    /** "key value" lines as a map of numbers (values that are not numbers are kept as text). */
    public static Map<String, Object> keyed(String text) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            String[] kv = line.strip().split("\\s+");
            if (kv.length == 2) {
                out.put(kv[0], number(kv[1]));
            }
        }
        return out;
    }

    /** Puts {@code key} = the file's number, if the file exists and holds one ("max" is 2^64-1 as runc shows it). */
    public static void putLong(Map<String, Object> m, String key, Optional<String> file) {
        file.map(String::strip).filter(s -> !s.isEmpty()).ifPresent(s -> m.put(key, number(s)));
    }

    /** Space-separated numbers (cpuacct.usage_percpu). */
    public static List<Object> numbers(String text) {
        List<Object> out = new ArrayList<>();
        for (String s : text.strip().split("\\s+")) {
            if (!s.isEmpty()) {
                out.add(number(s));
            }
        }
        return out;
    }

    /** A Long, or a BigInteger above Long.MAX_VALUE ("max" is 2^64-1, as runc reports it), or the text. */
    static Object number(String s) {
        String v = s.equals("max") ? "18446744073709551615" : s;
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            try {
                return new java.math.BigInteger(v);
            } catch (NumberFormatException notANumber) {
                return s;
            }
        }
    }
}
