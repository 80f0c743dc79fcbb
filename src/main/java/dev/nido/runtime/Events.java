package dev.nido.runtime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code events}: stats events in runc's shape, read from the container's cgroup, and an
 * {@code oom} event whenever the kernel's OOM killer has killed a process of the container
 * since the previous poll (the cgroup's oom_kill counter grew).
 */
public final class Events {
    private final RuntimeContext ctx;
    private long oomKillsSeen;

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

    /** The events of one poll: an oom event first if there were new OOM kills, then the stats. */
    public List<Map<String, Object>> poll(String id) {
        Map<String, Object> stats = stats(id);
        List<Map<String, Object>> out = new ArrayList<>();
        long kills = oomKills(stats);
        if (kills > oomKillsSeen) {
            Map<String, Object> oom = new LinkedHashMap<>();
            oom.put("type", "oom");
            oom.put("id", id);
            out.add(oom);
            oomKillsSeen = kills;
        }
        out.add(stats);
        return out;
    }

    static long oomKills(Map<String, Object> statsEvent) {
        if (statsEvent.get("data") instanceof Map<?, ?> data && data.get("memory") instanceof Map<?, ?> mem
                && mem.get("oom_kill") instanceof Number n) {
            return n.longValue();
        }
        return 0;
    }
}
