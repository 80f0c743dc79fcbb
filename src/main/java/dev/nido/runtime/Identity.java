package dev.nido.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The effective user and group the runtime runs as, read from {@code /proc/self/status}
 * (cheaper at start-up than the JDK's JAAS module, which loads a native library).
 */
public final class Identity {
    private static long[] ids;
    private static int umask = -1;

    private Identity() {
    }

    public static long uid() {
        return ids()[0];
    }

    public static long gid() {
        return ids()[1];
    }

    public static boolean isRoot() {
        return uid() == 0;
    }

    /** The umask (Linux 4.7+ reports it); 0777 when unknown, so that every mode is set explicitly. */
    public static synchronized int umask() {
        if (umask < 0) {
            umask = 0777;
            try {
                for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                    if (line.startsWith("Umask:")) {
                        umask = Integer.parseInt(line.substring(6).trim(), 8);
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // keep 0777
            }
        }
        return umask;
    }

    private static synchronized long[] ids() {
        if (ids == null) {
            try {
                ids = parse(Files.readString(Path.of("/proc/self/status")));
            } catch (IOException e) {
                throw new UncheckedIOException("/proc/self/status: " + e.getMessage(), e);
            }
        }
        return ids;
    }

    /** The effective uid and gid (second column of the Uid: and Gid: lines) of a status text. */
    static long[] parse(String status) {
        long[] r = {-1, -1};
        for (String line : status.split("\n")) {
            if (line.startsWith("Uid:")) {
                r[0] = Long.parseLong(line.substring(4).trim().split("\\s+")[1]);
            } else if (line.startsWith("Gid:")) {
                r[1] = Long.parseLong(line.substring(4).trim().split("\\s+")[1]);
            }
        }
        return r;
    }
}
