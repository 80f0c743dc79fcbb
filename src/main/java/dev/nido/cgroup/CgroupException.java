package dev.nido.cgroup;

/** A cgroup operation that failed, with a message naming the cgroup file or directory. */
public final class CgroupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CgroupException(String message) {
        super(message);
    }

    public CgroupException(String message, Throwable cause) {
        super(message, cause);
    }
}
