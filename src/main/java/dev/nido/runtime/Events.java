package dev.nido.runtime;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code events --stats}: one stats event in runc's shape, read from the container's cgroup. */
public final class Events {
    private final RuntimeContext ctx;

    public Events(RuntimeContext ctx) {
        this.ctx = ctx;
    }

    public Map<String, Object> stats(String id) {
        ContainerRecord r = ctx.store().load(id);
        if (ContainerStatus.of(ctx.store(), r) == Status.STOPPED) {
            throw new ContainerException("container " + id + " is stopped: container not running");
        }
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("type", "stats");
        e.put("id", id);
        e.put("data", Update.cgroupOf(ctx, r).stats());
        return e;
    }
}
