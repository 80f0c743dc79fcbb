package dev.nido.engine;

import java.nio.file.Path;

/**
 * What is true of a container now, from its record, its monitor's files and its processes:
 * {@code created}, {@code running}, {@code paused}, {@code restarting}, {@code exited}, or after a
 * crash {@code unmonitored} (the monitor was killed, the init runs on: no logs, no exit record)
 * and {@code dead} (both gone without an exit record); {@code nido system check --repair} ends the last two.
 */
public record LiveState(String state, Integer exitCode, String finishedAt, int pid) {

    public static LiveState of(Containers cs, ContainerInfo c) {
        Path dir = cs.dir(c.id());
        String s = c.status() == null ? "created" : c.status();
        if (!s.equals("running") && !s.equals("paused")) {
            return new LiveState(s, c.exitCode(), c.finished(), 0);
        }
        MonitorFiles.Exit exit = MonitorFiles.exit(dir);
        if (exit != null) {
            return new LiveState("exited", exit.exitCode(), exit.finishedAt(), 0); // its cleanup is on its way
        }
        MonitorFiles.Pids pids = MonitorFiles.pids(dir);
        if (pids == null) {
            // starting (the runtime has not let the monitor go yet), or the start was killed
            return new LiveState(cs.active(c) ? s : "dead", null, null, 0);
        }
        if (pids.monitorAlive()) {
            return new LiveState(s, null, null, pids.init());
        }
        return pids.initAlive() ? new LiveState("unmonitored", null, null, pids.init())
                : new LiveState("dead", null, null, 0);
    }

    /** Its processes run (or are frozen): it must be stopped before start, rm or clone. */
    public boolean isUp() {
        return state.equals("running") || state.equals("paused") || state.equals("unmonitored");
    }

    /** Docker's status column: "Up", "Exited (0) at ...", "Created". */
    public String describe() {
        return switch (state) {
            case "running" -> "Up";
            case "paused" -> "Up (Paused)";
            case "exited" -> "Exited (" + (exitCode == null ? "?" : exitCode) + ")";
            case "created" -> "Created";
            case "restarting" -> "Restarting";
            case "unmonitored" -> "Up (no monitor: nido system check --repair)";
            case "dead" -> "Dead (nido system check --repair)";
            default -> state;
        };
    }
}
