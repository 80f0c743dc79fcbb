package dev.nido.engine;

/**
 * Anything wrong with a named container or a flag, said so that a user can act on it; the exit
 * status follows Docker's: 125 for the engine's own errors, 126 when the command cannot be
 * executed, 127 when it does not exist.
 */
public final class EngineException extends RuntimeException {
    public static final int ENGINE = 125;
    private final int exitCode;

    public EngineException(String message) {
        this(message, ENGINE);
    }

    public EngineException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public EngineException(String message, Throwable cause) {
        super(message, cause);
        this.exitCode = ENGINE;
    }

    public int exitCode() {
        return exitCode;
    }
}
