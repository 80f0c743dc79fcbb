package dev.nido.runtime.plan;

/**
 * A compiled seccomp filter as the helper loads it.
 *
 * @param program          struct sock_filter[] bytes
 * @param flags            seccomp(2) SECCOMP_FILTER_FLAG_* bits
 * @param listenerPath     the agent's socket for SCMP_ACT_NOTIFY (linux.seccomp.listenerPath), or null
 * @param listenerMetadata linux.seccomp.listenerMetadata as a JSON string literal ("\"\"" if none)
 */
public record SeccompLoad(byte[] program, int flags, String listenerPath, String listenerMetadata) {
    /** SECCOMP_FILTER_FLAG_NEW_LISTENER: seccomp(2) returns a listener fd for a user-space agent. */
    public static final int NEW_LISTENER = 8;

    /** Whether the filter's listener fd goes to an agent (the filter has SCMP_ACT_NOTIFY rules). */
    public boolean notifies() {
        return (flags & NEW_LISTENER) != 0;
    }
}
