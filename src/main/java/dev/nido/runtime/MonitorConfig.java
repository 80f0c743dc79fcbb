package dev.nido.runtime;

import dev.nido.oci.JsonMap;
import dev.nido.oci.SpecException;
import dev.nido.runtime.plan.PlanStep;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@code --monitor FILE} asks of the helper (a nido extension to runc's create and run -d,
 * used by the engine for detached containers): it stays alive as the container's monitor, as
 * conmon does for podman, keeping the container's output in {@code dir/ctr.log}, serving attach
 * clients on {@code socket}, recording the exit in {@code dir/exit}, then running {@code exitCommand}.
 *
 * @param dir         an existing directory for the log, the exit record and {@code monitor.pid}
 * @param socket      where attach clients connect (at most 107 bytes: a unix socket path)
 * @param client      a socket already listening that the monitor connects to before the container
 *                    runs (a foreground CLI, so that it sees all output), or null
 * @param stdinOpen   the container's stdin is a pipe kept open for attach clients (-i)
 * @param logMaxSize  rotate ctr.log at this size in bytes (0: never)
 * @param logMaxFiles how many log files to keep, ctr.log included
 * @param exitCommand run by the monitor once the exit is recorded (empty: none)
 */
public record MonitorConfig(String dir, String socket, String client, boolean stdinOpen, long logMaxSize,
                            int logMaxFiles, List<String> exitCommand) {
    static final int SUN_PATH_MAX = 107;

    public MonitorConfig {
        exitCommand = exitCommand == null ? List.of() : List.copyOf(exitCommand);
    }

    /** Reads and checks a monitor file; errors name the file and the field. */
    public static MonitorConfig read(Path file) {
        MonitorConfig c;
        try {
            // read through a map: a record read by reflection costs ~30 ms in a fresh JVM
            JsonMap m = JsonMap.parse(Files.readAllBytes(file), file.toString());
            c = new MonitorConfig(m.string("dir"), m.string("socket"), m.string("client"), m.bool("stdinOpen"),
                    m.number("logMaxSize", 0), (int) m.number("logMaxFiles", 0), m.strings("exitCommand"));
        } catch (IOException e) {
            throw new ContainerException("--monitor " + file + ": " + e.getMessage());
        } catch (SpecException e) {
            throw new ContainerException("--monitor " + file + ": " + e.getMessage());
        }
        c.check(file);
        return c;
    }

    private void check(Path file) {
        String where = "--monitor " + file + ": ";
        if (dir == null || !Path.of(dir).isAbsolute() || !Files.isDirectory(Path.of(dir))) {
            throw new ContainerException(where + "dir " + dir + " must be an existing absolute directory");
        }
        checkSocket(where + "socket", socket, false);
        checkSocket(where + "client", client, true);
        if (logMaxSize < 0 || logMaxFiles < 1) {
            throw new ContainerException(where + "logMaxSize must be >= 0 and logMaxFiles >= 1");
        }
        if (!exitCommand.isEmpty() && !exitCommand.get(0).startsWith("/")) {
            throw new ContainerException(where + "exitCommand[0] " + exitCommand.get(0) + " must be an absolute path");
        }
    }

    private static void checkSocket(String what, String path, boolean optional) {
        if (path == null && optional) {
            return;
        }
        if (path == null || !path.startsWith("/") || path.getBytes(StandardCharsets.UTF_8).length > SUN_PATH_MAX) {
            throw new ContainerException(what + " " + path + " must be an absolute path of at most " + SUN_PATH_MAX
                    + " bytes (a unix socket)");
        }
    }

    /** The plan step; {@code terminal} when the container gets a pty, {@code reportExit} for a foreground run. */
    PlanStep.Monitor step(boolean terminal, boolean reportExit) {
        int flags = (stdinOpen ? PlanStep.Monitor.STDIN_OPEN : 0) | (terminal ? PlanStep.Monitor.TERMINAL : 0)
                | (reportExit ? PlanStep.Monitor.REPORT_EXIT : 0);
        return new PlanStep.Monitor(dir, socket, client == null ? "" : client, flags, logMaxSize, logMaxFiles,
                exitCommand);
    }
}
