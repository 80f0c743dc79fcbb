package dev.nido.runtime;

/** {@code pause} and {@code resume}: the container's cgroup through the freezer. */
public final class Freeze {
    private final RuntimeContext ctx;

    public Freeze(RuntimeContext ctx) {
        this.ctx = ctx;
    }

    public void pause(String id) {
        ContainerRecord r = ctx.store().load(id);
        Status st = ContainerStatus.of(ctx.store(), r);
        if (st != Status.RUNNING && st != Status.CREATED) {
            throw new ContainerException("cannot pause container " + id + ": container is " + st.specName()
                    + (st == Status.PAUSED ? " already" : " (container not running)"));
        }
        Update.cgroupOf(ctx, r).freeze();
    }

    public void resume(String id) {
        ContainerRecord r = ctx.store().load(id);
        if (ContainerStatus.of(ctx.store(), r) != Status.PAUSED) {
            throw new ContainerException("cannot resume container " + id + ": container is not paused");
        }
        Update.cgroupOf(ctx, r).thaw();
    }
}
