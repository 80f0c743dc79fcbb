package dev.nido.runtime;

/**
 * Start-up profiling: with {@code NIDO_TRACE=1} in the environment, each phase of a launch
 * prints the milliseconds since the JVM started to stderr. Off (one getenv) otherwise.
 */
final class PhaseTrace {
    private static final boolean ON = System.getenv("NIDO_TRACE") != null;
    private static final long T0 = ON ? ProcessHandle.current().info().startInstant()
            .map(java.time.Instant::toEpochMilli).orElse(System.currentTimeMillis()) : 0;

    private PhaseTrace() {
    }

    static void mark(String phase) {
        if (ON) {
            System.err.println("nido-trace " + (System.currentTimeMillis() - T0) + " ms " + phase);
        }
    }
}
