package dev.nido.runtime;

import dev.nido.cgroup.ContainerCgroup;
import dev.nido.linux.LinuxException;

import java.nio.file.Path;

/** {@code kill [--all] ID [SIGNAL]}. */
public final class Kill {
    private final RuntimeContext ctx;

    public Kill(RuntimeContext ctx) {
        this.ctx = ctx;
    }

    public void run(String id, int signal, boolean all) {
        ContainerRecord r = ctx.store().load(id);
        Status st = ContainerStatus.of(ctx.store(), r);
        if (all) {
            ContainerCgroup cg = ContainerCgroup.ofDirs(ctx.sys(), r.cgroupPath(),
                    r.cgroupDirs().stream().map(Path::of).toList());
            if (cg.signalAll(signal) == 0 && st == Status.STOPPED) {
                throw new ContainerException("container not running");
            }
            return;
        }
        if (st == Status.STOPPED || st == Status.CREATING) {
            throw new ContainerException("container not running");
        }
        try {
            ctx.sys().kill(r.pid(), signal);
        } catch (LinuxException e) {
            if (e.errno() == 3) { // ESRCH
                throw new ContainerException("container not running");
            }
            throw new ContainerException("kill " + id + ": " + e.getMessage(), e);
        }
    }
}
