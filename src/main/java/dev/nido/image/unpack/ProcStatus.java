package dev.nido.image.unpack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The effective uid and the umask of this process, from {@code /proc/self/status} (proc(5)). */
final class ProcStatus {
    private ProcStatus() {
    }

    /** The effective uid, or -1 when unreadable. */
    static long euid() {
        String uid = field("Uid:");
        if (uid == null) {
            return -1;
        }
        String[] ids = uid.trim().split("\\s+"); // real, effective, saved, filesystem
        return ids.length > 1 ? Long.parseLong(ids[1]) : -1;
    }

    /** The umask (Linux 4.7+); 0777 when unknown, so that every mode is set explicitly. */
    static int umask() {
        String umask = field("Umask:");
        return umask == null ? 0777 : Integer.parseInt(umask.trim(), 8);
    }

    private static String field(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key)) {
                    return line.substring(key.length());
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }
}
