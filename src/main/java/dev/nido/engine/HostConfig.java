package dev.nido.engine;

/**
 * How a container runs, kept with it and applied at every start: what Docker calls the host config.
 *
 * @param autoRemove   --rm: removed when it exits
 * @param restart      the restart policy
 * @param stopSignal   the signal stop sends first (the image's STOPSIGNAL, --stop-signal, or TERM)
 * @param stopTimeout  seconds stop waits before SIGKILL
 * @param tty          a pty (-t)
 * @param interactive  stdin kept open for attach (-i)
 * @param system       a system container: the image's init is PID 1 (--system)
 * @param logMaxSize   ctr.log is rotated at this size (bytes)
 * @param logMaxFiles  log files kept, ctr.log included
 */
public record HostConfig(boolean autoRemove, RestartPolicy restart, String stopSignal, int stopTimeout, boolean tty,
                         boolean interactive, boolean system, long logMaxSize, int logMaxFiles) {
    public static final long DEFAULT_LOG_MAX = 10L << 20;
    public static final int DEFAULT_LOG_FILES = 3;

    public HostConfig {
        restart = restart == null ? RestartPolicy.NO : restart;
        stopSignal = stopSignal == null || stopSignal.isEmpty() ? "TERM" : stopSignal;
        logMaxSize = logMaxSize <= 0 ? DEFAULT_LOG_MAX : logMaxSize;
        logMaxFiles = logMaxFiles <= 0 ? DEFAULT_LOG_FILES : logMaxFiles;
    }

    java.util.Map<String, Object> toJson() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("autoRemove", autoRemove);
        m.put("restart", java.util.Map.of("name", restart.name(), "maxRetries", restart.maxRetries()));
        m.put("stopSignal", stopSignal);
        m.put("stopTimeout", stopTimeout);
        m.put("tty", tty);
        m.put("interactive", interactive);
        m.put("system", system);
        m.put("logMaxSize", logMaxSize);
        m.put("logMaxFiles", logMaxFiles);
        return m;
    }

    static HostConfig fromJson(dev.nido.oci.JsonMap m) {
        dev.nido.oci.JsonMap r = m.object("restart");
        RestartPolicy restart = r == null ? RestartPolicy.NO
                : new RestartPolicy(r.string("name") == null ? "no" : r.string("name"), (int) r.number("maxRetries", 0));
        return new HostConfig(m.bool("autoRemove"), restart, m.string("stopSignal"), (int) m.number("stopTimeout", 10),
                m.bool("tty"), m.bool("interactive"), m.bool("system"), m.number("logMaxSize", 0),
                (int) m.number("logMaxFiles", 0));
    }

    /** Records written before host configs existed. */
    public static HostConfig defaults() {
        return new HostConfig(false, RestartPolicy.NO, "TERM", 10, false, false, false, 0, 0);
    }
}
