package dev.nido.linux;

/**
 * Decodes the raw status of waitpid(2), as the W* macros of {@code <sys/wait.h>} do on Linux:
 * bits 0-6 the terminating signal (0: exited, 0x7f: stopped), bit 7 core dumped, bits 8-15 the
 * exit code (or the stop signal).
 */
public final class WaitStatus {
    private WaitStatus() {
    }

    /** WIFEXITED. */
    public static boolean exited(int status) {
        return (status & 0x7f) == 0;
    }

    /** WEXITSTATUS; meaningful only when {@link #exited(int)}. */
    public static int exitCode(int status) {
        return (status >> 8) & 0xff;
    }

    /** WIFSIGNALED: neither exited nor stopped/continued. */
    public static boolean signaled(int status) {
        return ((byte) ((status & 0x7f) + 1) >> 1) > 0;
    }

    /** WTERMSIG; meaningful only when {@link #signaled(int)}. */
    public static int termSignal(int status) {
        return status & 0x7f;
    }

    /** WCOREDUMP. */
    public static boolean coreDumped(int status) {
        return signaled(status) && (status & 0x80) != 0;
    }

    /**
     * The code a shell would report: the exit code, or 128 + the signal number.
     *
     * @throws IllegalArgumentException for a stopped or continued status, which has no code
     */
    public static int shellCode(int status) {
        if (exited(status)) {
            return exitCode(status);
        }
        if (signaled(status)) {
            return 128 + termSignal(status);
        }
        throw new IllegalArgumentException(
                "wait status 0x" + Integer.toHexString(status) + ": process did not terminate");
    }

    /** {@code "exited with code 3"}, {@code "killed by signal KILL"}, for messages. */
    public static String describe(int status) {
        if (exited(status)) {
            return "exited with code " + exitCode(status);
        }
        if (signaled(status)) {
            return "killed by signal " + Signals.nameOrNumber(termSignal(status)) + (coreDumped(status) ? " (core dumped)" : "");
        }
        return "wait status 0x" + Integer.toHexString(status);
    }
}
