package dev.nido.runtime;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** After READY: a detaching helper is reaped; a monitor is let go and its pid recorded in {@code dir/monitor.pid}. */
final class MonitorPid {
    private MonitorPid() {
    }

    static void settle(HelperProcess helper, MonitorConfig monitor, ContainerRecord record) {
        if (monitor == null) {
            helper.reapStatus();
            return;
        }
        int pid = helper.release();
        // "PID STARTTIME INITPID INITSTART": start times tell a live process from a recycled pid
        String text = pid + " " + Launch.startTime(pid) + " " + record.pid() + " " + record.pidStart() + "\n";
        StateStore.writeAtomically(Path.of(monitor.dir()).resolve("monitor.pid"), text.getBytes(StandardCharsets.UTF_8));
    }
}
