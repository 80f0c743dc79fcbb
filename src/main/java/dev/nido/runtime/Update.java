package dev.nido.runtime;

import dev.nido.cgroup.CgroupWrite;
import dev.nido.cgroup.ContainerCgroup;
import dev.nido.cgroup.ResourcePlanner;
import dev.nido.oci.Resources;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code update}: changes a running container's limits. The new values are planned (and
 * validated) in full before any file is written, and a failed write restores the old ones.
 */
public final class Update {
    private final RuntimeContext ctx;

    public Update(RuntimeContext ctx) {
        this.ctx = ctx;
    }

    public void run(String id, Resources resources) {
        ContainerRecord r = ctx.store().load(id);
        Status st = ContainerStatus.of(ctx.store(), r);
        if (st == Status.STOPPED) {
            throw new ContainerException("cannot update a stopped container: container not running");
        }
        Resources live = withoutDevices(resources);
        List<CgroupWrite> writes = ResourcePlanner.plan(ctx.cgroups(), live);
        ContainerCgroup cg = cgroupOf(ctx, r);
        checkBeforeUpdate(cg, live);
        cg.apply(writes);
    }

    /** Device rules are set at create only, as runc's update does; saying so beats ignoring them. */
    private Resources withoutDevices(Resources r) {
        if (r == null || r.devices() == null || r.devices().isEmpty()) {
            return r;
        }
        ctx.warn("update: linux.resources.devices is ignored (device rules are set when the container is created)");
        return new Resources(null, r.memory(), r.cpu(), r.pids(), r.blockIO(), r.hugepageLimits(), r.network(),
                r.rdma(), r.unified());
    }

    /** memory.checkBeforeUpdate: refuse a limit below what the container already uses. */
    private static void checkBeforeUpdate(ContainerCgroup cg, Resources r) {
        if (r == null || r.memory() == null || !Boolean.TRUE.equals(r.memory().checkBeforeUpdate())
                || r.memory().limit() == null || r.memory().limit() <= 0) {
            return;
        }
        if (cg.stats().get("memory") instanceof java.util.Map<?, ?> mem && mem.get("usage") instanceof java.util.Map<?, ?> u
                && u.get("usage") instanceof Number used && used.longValue() > r.memory().limit()) {
            throw new ContainerException("linux.resources.memory.limit: " + r.memory().limit()
                    + " is below the container's current usage of " + used + " bytes (checkBeforeUpdate is set;"
                    + " free memory in the container or choose a higher limit)");
        }
    }

    /** The container's cgroup as saved at create; only the directories nido made may be changed beyond limits. */
    static ContainerCgroup cgroupOf(RuntimeContext ctx, ContainerRecord r) {
        return ContainerCgroup.ofDirs(ctx.sys(), ctx.cgroups(), r.cgroupPath(),
                r.cgroupDirs().stream().map(Path::of).toList())
                .withCreated(r.cgroupCreated().stream().map(Path::of).toList());
    }
}
