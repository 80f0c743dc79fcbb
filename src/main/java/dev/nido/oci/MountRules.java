package dev.nido.oci;

import java.util.List;

/** Validation of {@code mounts}: destinations, options and id-mapped mounts. */
final class MountRules {
    private MountRules() {
    }

    static void check(List<Mount> mounts, Violations v) {
        for (int i = 0; i < mounts.size(); i++) {
            mount(mounts.get(i), JsonPath.index("mounts", i), v);
        }
    }

    private static void mount(Mount m, String at, Violations v) {
        String destination = JsonPath.field(at, "destination");
        // runc accepts a relative destination for compatibility and makes it absolute; so do we
        if (v.required(destination, m.destination()) && Mounts.normalizeDestination(m.destination()).isEmpty()) {
            v.add(destination, JsonPath.quote(m.destination()) + " leads out of the container's root filesystem");
        }
        for (int j = 0; j < m.options().size(); j++) {
            String option = m.options().get(j);
            if (!Mounts.isKnownOption(option)) {
                v.add(JsonPath.index(JsonPath.field(at, "options"), j), "unknown mount option " + JsonPath.quote(option)
                        + " (filesystem options take the form key=value)");
            }
        }
        IdMappingRules.check(m.uidMappings(), JsonPath.field(at, "uidMappings"), v);
        IdMappingRules.check(m.gidMappings(), JsonPath.field(at, "gidMappings"), v);
        if (m.uidMappings().isEmpty() != m.gidMappings().isEmpty()) {
            v.add(at, "uidMappings and gidMappings must be given together");
        }
        MountOptions parsed = Mounts.parse(m.options());
        if (parsed.idmap() && m.uidMappings().isEmpty() && m.gidMappings().isEmpty()) {
            v.add(at, (parsed.recursiveIdmap() ? "ridmap" : "idmap") + " needs uidMappings and gidMappings");
        }
    }
}
