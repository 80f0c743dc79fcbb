package dev.nido.engine;

/** Anything wrong with a named container or a flag, said so that a user can act on it. */
public final class EngineException extends RuntimeException {
    public EngineException(String message) {
        super(message);
    }

    public EngineException(String message, Throwable cause) {
        super(message, cause);
    }
}
