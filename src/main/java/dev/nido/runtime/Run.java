package dev.nido.runtime;

import dev.nido.linux.LinuxException;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * {@code run}: create and start in one go. In the foreground the helper stays as a monitor,
 * the container's exit status becomes ours, signals sent to us are forwarded, and the
 * container is deleted at the end. With {@code -d} it returns once the process has started.
 */
public final class Run {
    private final RuntimeContext ctx;
    private volatile int forwardTo;

    public Run(RuntimeContext ctx) {
        this.ctx = ctx;
    }

    /** Returns the exit status for the shell: the container's code, or 128 + signal. */
    public int run(String id, Path bundle, boolean detach, Path consoleSocket, Path pidFile, boolean noPivot,
                   Consumer<String> explain) {
        return run(id, bundle, detach, consoleSocket, pidFile, noPivot, explain, null);
    }

    /**
     * With a monitor config (--monitor), the helper stays as the container's monitor. With -d this
     * returns once the container runs; in the foreground the monitor tells us the exit, and we
     * delete the container and return its status, as runc's run does (the monitor lives on for its
     * attach clients and its exit command).
     */
    public int run(String id, Path bundle, boolean detach, Path consoleSocket, Path pidFile, boolean noPivot,
                   Consumer<String> explain, MonitorConfig monitor) {
        Launch launch = new Launch(ctx);
        Launch.Started s = launch.start(new Launch.Request(id, bundle, detach, false, noPivot, consoleSocket,
                pidFile, explain, monitor));
        if (detach) {
            return detached(launch, s, pidFile, monitor);
        }
        return foreground(s, pidFile, monitor);
    }

    private int detached(Launch launch, Launch.Started s, Path pidFile, MonitorConfig monitor) {
        try (HelperProcess helper = s.helper()) {
            helper.awaitReady();
            MonitorPid.settle(helper, monitor, s.record());
            if (pidFile != null) {
                PidFile.write(pidFile, s.record().pid());
            }
            return 0;
        } catch (RuntimeException e) {
            launch.cleanup(s.record().id(), null, s.record(), s.cgroup());
            throw e;
        }
    }

    private int foreground(Launch.Started s, Path pidFile, MonitorConfig monitor) {
        ContainerRecord r = s.record();
        int code;
        try (HelperProcess helper = s.helper()) {
            forwardTo = helper.shimPid();
            if (pidFile != null) {
                PidFile.write(pidFile, r.pid());
            }
            code = helper.awaitExit(() -> {
                if (monitor != null) {
                    MonitorPid.settle(helper, monitor, r); // it stays: never waited for or killed by us
                }
                poststart(s, r);
            });
            PhaseTrace.mark("exited");
        } finally {
            forwardTo = 0;
            Status st = ProcStat.sameLiveProcess(r.pid(), r.pidStart()) ? Status.RUNNING : Status.STOPPED;
            new Delete(ctx).destroy(r, st, s.spec());
        }
        PhaseTrace.mark("deleted");
        return code;
    }

    private void poststart(Launch.Started s, ContainerRecord r) {
        if (s.spec().hooks() == null) {
            return;
        }
        for (String f : dev.nido.runtime.hooks.HookRunner.runAllReporting("poststart", s.spec().hooks().poststart(),
                StateView.forHooks(r, Status.RUNNING))) {
            ctx.warn(f);
        }
    }

    /** Forwards a signal we received to the monitor, which passes it to the container. */
    public void forward(int signal) {
        int pid = forwardTo;
        if (pid > 0) {
            try {
                ctx.sys().kill(pid, signal);
            } catch (LinuxException e) {
                // the monitor is gone
            }
        }
    }
}
