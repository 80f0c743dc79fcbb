package dev.nido.runtime;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * {@code create}: sets the container up and returns once its init is alive and blocked on the
 * exec fifo until {@code start}; the init is left to the caller's subreaper (conmon, containerd).
 */
public final class Create {
    private final RuntimeContext ctx;

    public Create(RuntimeContext ctx) {
        this.ctx = ctx;
    }

    public void run(String id, Path bundle, Path consoleSocket, Path pidFile, boolean noPivot,
                    Consumer<String> explain) {
        run(id, bundle, consoleSocket, pidFile, noPivot, explain, null);
    }

    /** With a monitor config (--monitor), the helper stays as the container's monitor. */
    public void run(String id, Path bundle, Path consoleSocket, Path pidFile, boolean noPivot,
                    Consumer<String> explain, MonitorConfig monitor) {
        Launch launch = new Launch(ctx);
        Launch.Started s = launch.start(new Launch.Request(id, bundle, true, true, noPivot, consoleSocket,
                pidFile, explain, monitor));
        try (HelperProcess helper = s.helper()) {
            helper.awaitReady();
            MonitorPid.settle(helper, monitor, s.record());
            if (pidFile != null) {
                PidFile.write(pidFile, s.record().pid());
            }
        } catch (RuntimeException e) {
            launch.cleanup(id, null, s.record(), s.cgroup());
            throw e;
        }
    }
}
