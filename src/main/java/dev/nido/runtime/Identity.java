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
