package dev.nido.linux;

/** A failed system call: the operation, the path or object it was applied to, and the errno. */
public final class LinuxException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String operation;
    private final String path;
    private final int errno;

    public LinuxException(String operation, String path, int errno) {
        super(format(operation, path, errno));
        this.operation = operation;
        this.path = path;
        this.errno = errno;
    }

    /** As above, with {@code detail} (a verifier log, say) after the errno in the message. */
    public LinuxException(String operation, String path, int errno, String detail) {
        super(format(operation, path, errno).concat(": ").concat(detail));
        this.operation = operation;
        this.path = path;
        this.errno = errno;
    }

    private static String format(String operation, String path, int errno) {
        String where = path == null || path.isEmpty() ? "" : " " + path;
        return operation + where + ": " + Errno.describe(errno);
    }

    public String operation() {
        return operation;
    }

    public String path() {
        return path;
    }

    public int errno() {
        return errno;
    }
}
