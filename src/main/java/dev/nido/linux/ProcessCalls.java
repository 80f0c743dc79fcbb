package dev.nido.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Calls on processes: waitpid and kill. */
final class ProcessCalls {
    /** pid_t waitpid(pid_t pid, int *wstatus, int options). */
    private static final Libc.Function WAITPID = Libc.function("waitpid");
    /** int kill(pid_t pid, int sig). */
    private static final Libc.Function KILL = Libc.function("kill");

    private ProcessCalls() {
    }

    /** "pid N" for messages; no string {@code +} on the success path (see {@link Fd}). */
    private static String pidText(int pid) {
        return "pid ".concat(Integer.toString(pid));
    }

    static int waitpid(int pid) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment status = arena.allocate(ValueLayout.JAVA_INT);
            Libc.checkInt(arena, "waitpid", pidText(pid), WAITPID, pid, Libc.address(status), 0);
            return Libc.getInt(status, 0);
        }
    }

    static void kill(int pid, int signal) {
        try (Arena arena = Arena.ofConfined()) {
            Libc.checkInt(arena, "kill -".concat(Signals.nameOrNumber(signal)), pidText(pid), KILL, pid, signal);
        }
    }

    /** kill(pid, 0): ESRCH means gone; EPERM means it exists but belongs to someone else. */
    static boolean alive(int pid) {
        try (Arena arena = Arena.ofConfined()) {
            int result = Libc.intResultOrNegatedErrno(arena, KILL, pid, 0);
            if (result == -Errno.ESRCH) {
                return false;
            }
            if (result < 0 && result != -Errno.EPERM) {
                throw new LinuxException("kill -0", pidText(pid), -result);
            }
            return true;
        }
    }
}
