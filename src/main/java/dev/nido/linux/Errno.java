package dev.nido.linux;

/** errno values: names and messages (filled in by the linux work). */
public final class Errno {
    private Errno() {
    }

    /** "operation not permitted (EPERM)" style text for an errno value. */
    public static String describe(int errno) {
        return "errno " + errno;
    }
}
