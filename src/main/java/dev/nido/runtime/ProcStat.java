package dev.nido.runtime;

import java.io.IOException;
import java.nio.file.Path;

/** The few fields of /proc/PID/stat (proc(5)) the lifecycle needs. */
public record ProcStat(char state, long startTime) {

    /** The stat of a live process, or null if there is none. */
    public static ProcStat of(int pid) {
        if (pid <= 0) {
            return null;
        }
        try {
            String s = dev.nido.linux.ProcFiles.read(Path.of("/proc/" + pid + "/stat"));
            // comm may contain spaces and parentheses: fields start after the last ')'.
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return new ProcStat(f[0].charAt(0), Long.parseLong(f[19]));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** True if {@code pid} is alive, not a zombie, and the same process as recorded. */
    public static boolean sameLiveProcess(int pid, long startTime) {
        ProcStat st = of(pid);
        return st != null && st.state != 'Z' && st.state != 'X' && st.startTime == startTime;
    }
}
