package dev.nido.engine;

import dev.nido.oci.SpecException;
import dev.nido.runtime.ProcStat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * What a container's monitor leaves in its directory: {@code monitor.pid} (the monitor's and the
 * init's pid and start time, written by the runtime when it lets the monitor go), {@code exit}
 * (written atomically by the monitor when the init has been reaped) and {@code ctr.log*}.
 */
public final class MonitorFiles {
    public static final String EXIT = "exit";
    public static final String PIDS = "monitor.pid";
    public static final String LOG = "ctr.log";
    public static final String CONFIG = "monitor.json";

    private MonitorFiles() {
    }

    /** The monitor's exit record. */
    public record Exit(int exitCode, int signal, int status, String finishedAt) {
    }

    /** The pids in monitor.pid. */
    public record Pids(int monitor, long monitorStart, int init, long initStart) {
        public boolean monitorAlive() {
            return ProcStat.sameLiveProcess(monitor, monitorStart);
        }

        public boolean initAlive() {
            return ProcStat.sameLiveProcess(init, initStart);
        }
    }

    /** The exit record, or null while there is none (or a damaged one: the monitor writes it whole). */
    public static Exit exit(Path dir) {
        Path f = dir.resolve(EXIT);
        try {
            dev.nido.oci.JsonMap m = dev.nido.oci.JsonMap.parse(Files.readAllBytes(f), f.toString());
            return new Exit((int) m.number("exitCode", -1), (int) m.number("signal", 0), (int) m.number("status", 0),
                    m.string("finishedAt"));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | SpecException e) {
            return null;
        }
    }

    public static Pids pids(Path dir) {
        try {
            String[] f = Files.readString(dir.resolve(PIDS), StandardCharsets.US_ASCII).strip().split(" ");
            return new Pids(Integer.parseInt(f[0]), Long.parseLong(f[1]), Integer.parseInt(f[2]), Long.parseLong(f[3]));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Forgets the last run: its exit record and pids (the log stays, as Docker's does). */
    public static void clearRun(Path dir) {
        try {
            Files.deleteIfExists(dir.resolve(EXIT));
            Files.deleteIfExists(dir.resolve(PIDS));
        } catch (IOException e) {
            throw new EngineException("clear " + dir + ": " + e.getMessage(), e);
        }
    }
}
