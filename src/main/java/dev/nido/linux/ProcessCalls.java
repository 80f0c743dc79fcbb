package dev.nido.linux;

import static dev.nido.linux.Libc.C_INT;
import static dev.nido.linux.Libc.C_POINTER;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/** Calls on processes: waitpid and kill. */
final class ProcessCalls {
    /** pid_t waitpid(pid_t pid, int *wstatus, int options). */
    private static final MethodHandle WAITPID = Libc.errnoFunction("waitpid",
            FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_INT));
    /** int kill(pid_t pid, int sig). */
    private static final MethodHandle KILL = Libc.errnoFunction("kill",
            FunctionDescriptor.of(C_INT, C_INT, C_INT));

    private ProcessCalls() {
    }

    static int waitpid(int pid) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment status = arena.allocate(C_INT);
            Libc.checkInt(arena, "waitpid", "pid " + pid, s -> (int) WAITPID.invokeExact(s, pid, status, 0));
            return status.get(C_INT, 0);
        }
    }

    static void kill(int pid, int signal) {
        try (Arena arena = Arena.ofConfined()) {
            Libc.checkInt(arena, "kill -" + Signals.nameOrNumber(signal), "pid " + pid,
                    s -> (int) KILL.invokeExact(s, pid, signal));
        }
    }

    /** kill(pid, 0): ESRCH means gone; EPERM means it exists but belongs to someone else. */
    static boolean alive(int pid) {
        try (Arena arena = Arena.ofConfined()) {
            long result = Libc.resultOrNegatedErrno(arena, s -> (int) KILL.invokeExact(s, pid, 0));
            if (result == -Errno.ESRCH) {
                return false;
            }
            if (result < 0 && result != -Errno.EPERM) {
                throw new LinuxException("kill -0", "pid " + pid, (int) -result);
            }
            return true;
        }
    }
}
