package dev.nido.cgroup.v1;

import dev.nido.oci.InterfacePriority;
import dev.nido.oci.Network;

import java.util.function.BiConsumer;

/** The v1 net_cls and net_prio controllers (v2 has neither: tc and eBPF replace them). */
public final class NetV1 {
    private NetV1() {
    }

    public static void planClassId(Network n, BiConsumer<String, String> write) {
        if (n.classID() != null) {
            write.accept("net_cls.classid", Long.toString(n.classID()));
        }
    }

    /** One "interface priority" line per write: net_prio.ifpriomap takes a single pair per write(2). */
    public static void planPriorities(Network n, BiConsumer<String, String> write) {
        for (InterfacePriority p : n.priorities()) {
            write.accept("net_prio.ifpriomap", p.name() + " " + p.priority());
        }
    }
}
