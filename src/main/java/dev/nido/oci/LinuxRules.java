package dev.nido.oci;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Validation of {@code linux}: namespaces and what depends on them, devices, sysctls, seccomp. */
final class LinuxRules {
    private static final List<String> CLOCKS = List.of("monotonic", "boottime");
    private static final List<String> DEVICE_TYPES = List.of("c", "b", "u", "p");
    private static final List<String> ROOTFS_PROPAGATIONS = List.of("shared", "slave", "private", "unbindable",
            "rshared", "rslave", "rprivate", "runbindable");
    private static final List<String> PERSONALITIES = List.of("LINUX", "LINUX32");

    private LinuxRules() {
    }

    static void check(Linux linux, Violations v) {
        namespaces(linux.namespaces(), v);
        idMappings(linux, v);
        timeOffsets(linux, v);
        sysctl(linux.sysctl(), v);
        devices(linux.devices(), v);
        if (linux.resources() != null) {
            deviceRules(linux.resources().devices(), v);
        }
        if (linux.seccomp() != null) {
            SeccompRules.check(linux.seccomp(), "linux.seccomp", v);
        }
        if (linux.rootfsPropagation() != null && !linux.rootfsPropagation().isEmpty()) {
            v.oneOf("linux.rootfsPropagation", "propagation", linux.rootfsPropagation(), ROOTFS_PROPAGATIONS);
        }
        paths(linux.maskedPaths(), "linux.maskedPaths", v);
        paths(linux.readonlyPaths(), "linux.readonlyPaths", v);
        if (linux.personality() != null && v.required("linux.personality.domain", linux.personality().domain())) {
            v.oneOf("linux.personality.domain", "personality", linux.personality().domain(), PERSONALITIES);
        }
    }

    private static void namespaces(List<Namespace> namespaces, Violations v) {
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < namespaces.size(); i++) {
            Namespace ns = namespaces.get(i);
            String at = JsonPath.index("linux.namespaces", i);
            String type = JsonPath.field(at, "type");
            if (v.required(type, ns.type())) {
                if (NamespaceType.byName(ns.type()).isEmpty()) {
                    v.add(type, "unknown namespace " + JsonPath.quote(ns.type()) + " (expected one of "
                            + String.join(", ", NamespaceType.names()) + ")");
                } else {
                    Integer first = seen.putIfAbsent(ns.type(), i);
                    if (first != null) {
                        v.add(type, "duplicate namespace " + JsonPath.quote(ns.type()) + " (also at "
                                + JsonPath.index("linux.namespaces", first) + ")");
                    }
                }
            }
            v.absolute(JsonPath.field(at, "path"), ns.path() == null || ns.path().isEmpty() ? null : ns.path());
        }
    }

    private static void idMappings(Linux linux, Violations v) {
        boolean user = linux.hasNamespace("user");
        IdMappingRules.check(linux.uidMappings(), "linux.uidMappings", v);
        IdMappingRules.check(linux.gidMappings(), "linux.gidMappings", v);
        if (!user) {
            if (!linux.uidMappings().isEmpty()) {
                v.add("linux.uidMappings", "requires a user namespace (add {\"type\": \"user\"} to linux.namespaces)");
            }
            if (!linux.gidMappings().isEmpty()) {
                v.add("linux.gidMappings", "requires a user namespace (add {\"type\": \"user\"} to linux.namespaces)");
            }
            return;
        }
        boolean created = linux.namespace("user").map(ns -> ns.path() == null || ns.path().isEmpty()).orElse(false);
        if (created && linux.uidMappings().isEmpty()) {
            v.add("linux.uidMappings", "must be set when a new user namespace is created");
        }
        if (created && linux.gidMappings().isEmpty()) {
            v.add("linux.gidMappings", "must be set when a new user namespace is created");
        }
    }

    private static void timeOffsets(Linux linux, Violations v) {
        if (linux.timeOffsets().isEmpty()) {
            return;
        }
        if (!linux.hasNamespace("time")) {
            v.add("linux.timeOffsets", "requires a time namespace (add {\"type\": \"time\"} to linux.namespaces)");
        }
        linux.timeOffsets().forEach((clock, offset) -> {
            String at = JsonPath.key("linux.timeOffsets", clock);
            if (!CLOCKS.contains(clock)) {
                v.add(at, "unknown clock " + JsonPath.quote(clock) + " (expected monotonic or boottime)");
            }
            v.range(JsonPath.field(at, "nanosecs"), offset.nanosecs(), 0, 999_999_999);
        });
    }

    private static void sysctl(Map<String, String> sysctl, Violations v) {
        for (String key : sysctl.keySet()) {
            if (key.isEmpty()) {
                v.add("linux.sysctl", "a key must not be empty");
            } else if (key.contains("..")) {
                v.add(JsonPath.key("linux.sysctl", key), "invalid key (must not contain \"..\")");
            }
        }
    }

    private static void devices(List<Device> devices, Violations v) {
        for (int i = 0; i < devices.size(); i++) {
            Device d = devices.get(i);
            String at = JsonPath.index("linux.devices", i);
            String path = JsonPath.field(at, "path");
            if (v.required(path, d.path())) {
                v.absolute(path, d.path());
            }
            String type = JsonPath.field(at, "type");
            if (v.required(type, d.type())) {
                if (!DEVICE_TYPES.contains(d.type())) {
                    v.add(type, "unknown device type " + JsonPath.quote(d.type())
                            + " (expected c, b, u or p)");
                } else if (!d.type().equals("p")) {
                    if (d.major() == null) {
                        v.add(JsonPath.field(at, "major"), "must be set for a device of type " + d.type());
                    }
                    if (d.minor() == null) {
                        v.add(JsonPath.field(at, "minor"), "must be set for a device of type " + d.type());
                    }
                }
            }
            v.uint32(JsonPath.field(at, "uid"), d.uid());
            v.uint32(JsonPath.field(at, "gid"), d.gid());
        }
    }

    private static void deviceRules(List<DeviceCgroup> rules, Violations v) {
        for (int i = 0; i < rules.size(); i++) {
            DeviceCgroup r = rules.get(i);
            String at = JsonPath.index("linux.resources.devices", i);
            if (r.type() != null && !List.of("a", "c", "b").contains(r.type())) {
                v.add(JsonPath.field(at, "type"), "unknown device type " + JsonPath.quote(r.type())
                        + " (expected a, c or b)");
            }
            if (r.access() != null && !r.access().matches("[rwm]*")) {
                v.add(JsonPath.field(at, "access"), "invalid access " + JsonPath.quote(r.access())
                        + " (expected letters of rwm)");
            }
        }
    }

    private static void paths(List<String> paths, String path, Violations v) {
        for (int i = 0; i < paths.size(); i++) {
            v.absolute(JsonPath.index(path, i), paths.get(i));
        }
    }
}
