package dev.nido.runtime;

import dev.nido.linux.Fd;
import dev.nido.linux.LinuxException;
import dev.nido.oci.RuntimeSpec;
import dev.nido.oci.SpecReader;
import dev.nido.runtime.hooks.HookRunner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code start}: releases a created container's init through its exec fifo. */
public final class Start {
    private final RuntimeContext ctx;

    public Start(RuntimeContext ctx) {
        this.ctx = ctx;
    }

    public void run(String id) {
        ContainerRecord r = ctx.store().load(id);
        Status st = ContainerStatus.of(ctx.store(), r);
        switch (st) {
            case CREATED -> { }
            case STOPPED -> throw new ContainerException("cannot start a container that has stopped");
            case RUNNING, PAUSED -> throw new ContainerException("cannot start an already running container");
            case CREATING -> throw new ContainerException("container \"" + id + "\" is still being created");
        }
        Path fifo = ctx.store().dir(id).resolve(StateStore.FIFO);
        Fd w;
        try {
            w = ctx.sys().openFifoWriter(fifo);
        } catch (LinuxException e) {
            throw new ContainerException("start " + id + ": the container init is not waiting on " + fifo
                    + " (" + e.getMessage() + ")", e);
        }
        try {
            ctx.sys().writeAll(w, new byte[] {0}, 0, 1);
        } finally {
            ctx.sys().close(w);
        }
        ctx.sys().unlink(fifo);
        poststart(id, r);
    }

    private void poststart(String id, ContainerRecord r) {
        RuntimeSpec spec = savedSpec(ctx, id);
        if (spec == null || spec.hooks() == null) {
            return;
        }
        for (String failure : HookRunner.runAllReporting("poststart", spec.hooks().poststart(),
                StateView.forHooks(r, Status.RUNNING))) {
            ctx.warn(failure);
        }
    }

    /** The config.json saved at create, or null if it cannot be read. */
    static RuntimeSpec savedSpec(RuntimeContext ctx, String id) {
        Path f = ctx.store().dir(id).resolve(StateStore.CONFIG);
        try {
            return SpecReader.parse(Files.readAllBytes(f), f.toString());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
