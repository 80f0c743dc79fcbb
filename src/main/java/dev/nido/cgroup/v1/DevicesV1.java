package dev.nido.cgroup.v1;

import dev.nido.oci.DeviceCgroup;

import java.util.List;
import java.util.function.BiConsumer;

/**
 * The v1 devices controller: allow and deny rules in the order given. A leading deny-all becomes
 * one write of "a" to devices.deny, which empties the allow list (devices.txt).
 */
public final class DevicesV1 {
    private DevicesV1() {
    }

    public static void plan(List<DeviceCgroup> rules, BiConsumer<String, String> write) {
        int from = 0;
        if (!rules.isEmpty() && isDenyAll(rules.getFirst())) {
            write.accept("devices.deny", "a");
            from = 1;
        }
        for (DeviceCgroup d : rules.subList(from, rules.size())) {
            write.accept(Boolean.TRUE.equals(d.allow()) ? "devices.allow" : "devices.deny", rule(d));
        }
    }

    /** A rule in the kernel's syntax: "c 1:3 rwm", with "*" for a missing or negative number. */
    public static String rule(DeviceCgroup d) {
        String type = d.type() == null ? "a" : d.type();
        String access = d.access() == null || d.access().isEmpty() ? "rwm" : d.access();
        return type + " " + number(d.major()) + ":" + number(d.minor()) + " " + access;
    }

    static boolean isDenyAll(DeviceCgroup d) {
        return !Boolean.TRUE.equals(d.allow()) && (d.type() == null || d.type().equals("a"))
                && number(d.major()).equals("*") && number(d.minor()).equals("*")
                && (d.access() == null || d.access().isEmpty() || d.access().chars().sorted().distinct().count() == 3);
    }

    private static String number(Long n) {
        return n == null || n < 0 ? "*" : Long.toString(n);
    }
}
