package dev.nido.runtime;

import dev.nido.oci.Json;

import java.util.LinkedHashMap;
import java.util.Map;

/** The runtime-spec state of a container, as printed by {@code state} and given to hooks. */
public final class StateView {
    public static final String OCI_VERSION = "1.2.0";

    private StateView() {
    }

    /** Field order as runc prints it. */
    public static Map<String, Object> of(ContainerRecord r, Status status) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ociVersion", OCI_VERSION);
        m.put("id", r.id());
        m.put("pid", status == Status.STOPPED ? 0 : r.pid());
        m.put("status", status.specName());
        m.put("bundle", r.bundle());
        m.put("rootfs", r.rootfs());
        m.put("created", r.created());
        m.put("owner", r.owner() == null ? "" : r.owner());
        if (!r.annotations().isEmpty()) {
            m.put("annotations", r.annotations());
        }
        return m;
    }

    /** The state as hooks receive it on stdin. */
    static byte[] forHooks(ContainerRecord r, Status status) {
        return Json.writeCompact(of(r, status));
    }
}
