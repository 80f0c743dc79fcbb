package dev.nido.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Start-up profiling: with {@code NIDO_TRACE} in the environment, each phase of a launch
 * prints the milliseconds since the process started to stderr. Off (one getenv) otherwise.
 * {@code NIDO_TRACE=$EPOCHREALTIME} (bash) counts from that instant instead, to the
 * microsecond, so that the launcher script and the JVM's own start are included; any other
 * value counts from the process start as the kernel records it (clock ticks, 10 ms).
 */
public final class PhaseTrace {
    private static final String SETTING = System.getenv("NIDO_TRACE");
    private static final boolean ON = SETTING != null;
    /** The origin in microseconds since the epoch; only computed when tracing. */
    private static final long T0 = ON ? origin(SETTING) : 0;

    private PhaseTrace() {
    }

    /** Prints the time since the origin and {@code phase}, when tracing. */
    public static void mark(String phase) {
        if (ON) {
            java.time.Instant now = java.time.Instant.now();
            long us = now.getEpochSecond() * 1_000_000 + now.getNano() / 1000 - T0;
            // String.concat, not +: a string concatenation that the AOT training never ran
            // spins classes on first use and would distort the first mark
            System.err.println("nido-trace ".concat(Long.toString(us / 1000)).concat(".")
                    .concat(Long.toString(us % 1000 / 100)).concat(" ms ").concat(phase));
        }
    }

    private static long origin(String setting) {
        int dot = setting.indexOf('.');
        if (dot > 0 && setting.length() - dot == 7) {
            try {
                return Long.parseLong(setting.substring(0, dot)) * 1_000_000
                        + Long.parseLong(setting.substring(dot + 1));
            } catch (NumberFormatException e) {
                // not $EPOCHREALTIME: fall through to the process start
            }
        }
        return processStart();
    }

    /** proc(5): /proc/self/stat field 22 (starttime, clock ticks after boot) + btime of /proc/stat. */
    private static long processStart() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[19]);
            long btime = 0;
            for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
                if (line.startsWith("btime ")) {
                    btime = Long.parseLong(line.substring(6).strip());
                }
            }
            return btime * 1_000_000 + ticks * 10_000; // USER_HZ is 100 on Linux
        } catch (IOException | RuntimeException e) {
            return System.currentTimeMillis() * 1000;
        }
    }
}
