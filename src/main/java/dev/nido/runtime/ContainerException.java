package dev.nido.runtime;

/** A lifecycle operation that cannot be done, with a message a user can act on. */
public final class ContainerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ContainerException(String message) {
        super(message);
    }

    public ContainerException(String message, Throwable cause) {
        super(message, cause);
    }
}
