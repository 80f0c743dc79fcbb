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
        List<CgroupWrite> writes = ResourcePlanner.plan(ctx.cgroups(), resources);
        cgroupOf(ctx, r).apply(writes);
    }

    /** The container's cgroup as saved at create; only the directories nido made may be changed beyond limits. */
    static ContainerCgroup cgroupOf(RuntimeContext ctx, ContainerRecord r) {
        return ContainerCgroup.ofDirs(ctx.sys(), ctx.cgroups(), r.cgroupPath(),
                r.cgroupDirs().stream().map(Path::of).toList())
                .withCreated(r.cgroupCreated().stream().map(Path::of).toList());
    }
}
