package dev.nido.security;

/**
 * The one error of the security layer: a confinement policy that cannot be compiled. The message
 * names the JSON path of the offending input and what was expected, e.g.
 * {@code linux.seccomp.syscalls[3].args[0].op: unknown operator "SCMP_CMP_FOO" (expected one of ...)}.
 */
public final class ConfinementException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfinementException(String message) {
        super(message);
    }
}
