package dev.nido.cli.args;

/** A command line that does not parse: the message names the argument and the fix. */
public final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
