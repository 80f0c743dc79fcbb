package dev.nido.runtime;

import dev.nido.cgroup.ContainerCgroup;
import dev.nido.linux.LinuxException;
import dev.nido.oci.RuntimeSpec;
import dev.nido.runtime.hooks.HookRunner;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code delete}: removes a stopped (or, with --force, any) container and runs poststop hooks. */
public final class Delete {
    private final RuntimeContext ctx;

    public Delete(RuntimeContext ctx) {
        this.ctx = ctx;
    }

    public void run(String id, boolean force) {
        StateStore.checkId(id);
        if (!ctx.store().exists(id)) {
            // a create killed before it wrote any state leaves only the directory
            ctx.store().removeDir(id);
            if (force) {
                return; // as runc: deleting what is not there is not an error with --force
            }
            throw new ContainerException("container \"" + id + "\" does not exist");
        }
        ContainerRecord r = ctx.store().load(id);
        Status st = ContainerStatus.of(ctx.store(), r);
        if ((st == Status.RUNNING || st == Status.PAUSED) && !force) {
            throw new ContainerException("cannot delete container " + id + " that is not stopped: container is "
                    + st.specName() + " (stop it first, or use delete --force)");
        }
        destroy(r, st);
    }

    /** Kills whatever is left, runs poststop hooks, removes cgroups and state. */
    void destroy(ContainerRecord r, Status st) {
        destroy(r, st, Start.savedSpec(ctx, r.id()));
    }

    /**
     * {@link #destroy(ContainerRecord, Status)} with the container's spec at hand (as read at
     * create, or null when it cannot be read), so that {@code run} does not parse it again.
     */
    void destroy(ContainerRecord r, Status st, RuntimeSpec spec) {
        ContainerCgroup cg = ContainerCgroup.ofDirs(ctx.sys(), r.cgroupPath(),
                r.cgroupDirs().stream().map(Path::of).toList());
        if (st != Status.STOPPED) {
            killInit(r);
        }
        if (st == Status.PAUSED) {
            thaw(r);
        }
        if (spec != null && spec.hooks() != null) {
            for (String f : HookRunner.runAllReporting("poststop", spec.hooks().poststop(),
                    StateView.forHooks(r, Status.STOPPED))) {
                ctx.warn(f);
            }
        }
        List<Path> ours = r.cgroupCreated().stream().map(Path::of).toList();
        try {
            cg.remove(ours);
        } finally {
            ctx.store().removeDir(r.id());
        }
    }

    private void killInit(ContainerRecord r) {
        if (r.pid() <= 0 || !ProcStat.sameLiveProcess(r.pid(), r.pidStart())) {
            return;
        }
        try {
            ctx.sys().kill(r.pid(), 9);
        } catch (LinuxException e) {
            return;
        }
        for (int i = 0; i < 500 && ProcStat.sameLiveProcess(r.pid(), r.pidStart()); i++) {
            sleep(2);
        }
    }

    private void thaw(ContainerRecord r) {
        for (String d : r.cgroupDirs()) {
            Path v1 = Path.of(d, "freezer.state");
            if (Files.exists(v1)) {
                ctx.sys().writeFile(v1, "THAWED");
            }
            Path v2 = Path.of(d, "cgroup.freeze");
            if (Files.exists(v2)) {
                ctx.sys().writeFile(v2, "0");
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
