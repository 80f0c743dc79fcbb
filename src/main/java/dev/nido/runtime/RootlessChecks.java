package dev.nido.runtime;

import dev.nido.oci.Mount;
import dev.nido.oci.RuntimeSpec;

import java.util.List;

/**
 * What a spec asks that a non-root caller cannot have, said before anything is made (the kernel
 * would only answer EPERM, naming no field).
 */
final class RootlessChecks {
    private RootlessChecks() {
    }

    static void check(RuntimeSpec spec, long uid) {
        if (uid == 0) {
            return;
        }
        if (!hasUserNamespace(spec)) {
            throw new ContainerException("linux.namespaces: running as uid " + uid + ", nido-runtime needs a user"
                    + " namespace to create the others (make the spec with 'nido-runtime spec --rootless', or add"
                    + " {\"type\": \"user\"} with uidMappings and gidMappings; or run as root)");
        }
        List<Mount> mounts = spec.mounts() == null ? List.of() : spec.mounts();
        for (int i = 0; i < mounts.size(); i++) {
            Mount m = mounts.get(i);
            if (!m.uidMappings().isEmpty() || !m.gidMappings().isEmpty()) {
                throw new ContainerException("mounts[" + i + "] (" + m.destination() + "): id-mapped mounts need"
                        + " root (only the initial user namespace may shift a file system's ids); remove"
                        + " uidMappings/gidMappings or run as root");
            }
        }
    }

    private static boolean hasUserNamespace(RuntimeSpec spec) {
        List<dev.nido.oci.Namespace> all = spec.linux().namespaces() == null ? List.of() : spec.linux().namespaces();
        for (dev.nido.oci.Namespace ns : all) {
            if ("user".equals(ns.type())) {
                return true;
            }
        }
        return false;
    }
}
