package dev.nido.runtime;

import dev.nido.oci.IdMapping;
import dev.nido.oci.RuntimeSpec;
import dev.nido.runtime.plan.PlanBuilder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Whether a container's rootfs is mounted id-mapped. A container whose root is an unprivileged host
 * range (LXC's {@code lxc.idmap = u 0 100000 65536}) sees a rootfs owned by host root as owned by
 * nobody, and cannot write to it. Instead of chowning the image, nido (as root) mounts it id-mapped
 * with the container's own maps, so that on-disk uid 0 is the container's root; the files on disk
 * keep their ids. The annotation {@value #ANNOTATION} = "true" or "false" overrides the choice. An
 * overlayfs root (the engine's containers) is left as it is: the kernel id-maps overlay's layers,
 * not an overlay mount.
 */
final class RootfsIds {
    static final String ANNOTATION = "dev.nido.rootfs.idmap";

    private RootfsIds() {
    }

    static boolean needsIdmap(RuntimeSpec spec, Path bundle, boolean root) {
        if (!root || !newUserNamespace(spec) || spec.linux().uidMappings() == null
                || spec.linux().uidMappings().isEmpty()) {
            return false;
        }
        String forced = spec.annotations() == null ? null : spec.annotations().get(ANNOTATION);
        if (forced != null) {
            if (!forced.equals("true") && !forced.equals("false")) {
                throw new ContainerException("annotations." + ANNOTATION + ": \"" + forced
                        + "\" is neither \"true\" nor \"false\"");
            }
            return forced.equals("true");
        }
        try {
            Path rootfs = PlanBuilder.rootfs(spec, bundle);
            if (Files.getFileStore(rootfs).type().equals("overlay")) {
                // overlayfs cannot be id-mapped as a whole (EINVAL): only its layers could be
                return false;
            }
            int owner = (Integer) Files.getAttribute(rootfs, "unix:uid");
            return !mapped(spec.linux().uidMappings(), owner);
        } catch (IOException | UnsupportedOperationException e) {
            return false; // the rootfs itself is checked, with a clear error, by the helper
        }
    }

    static boolean mapped(List<IdMapping> maps, long hostId) {
        for (IdMapping m : maps) {
            if (hostId >= m.hostID() && hostId < m.hostID() + m.size()) {
                return true;
            }
        }
        return false;
    }

    private static boolean newUserNamespace(RuntimeSpec spec) {
        List<dev.nido.oci.Namespace> all = spec.linux().namespaces() == null ? List.of() : spec.linux().namespaces();
        for (dev.nido.oci.Namespace ns : all) {
            if ("user".equals(ns.type()) && (ns.path() == null || ns.path().isEmpty())) {
                return true;
            }
        }
        return false;
    }
}
