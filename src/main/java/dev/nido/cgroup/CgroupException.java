package dev.nido.cgroup;

import java.util.List;

/** A cgroup operation that failed, with a message naming the cgroup file or directory. */
public final class CgroupException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final List<String> problems;

    public CgroupException(String message) {
        super(message);
        this.problems = List.of(message);
    }

    public CgroupException(String message, Throwable cause) {
        super(message, cause);
        this.problems = List.of(message);
    }

    /** Every violation found at once, one per line of the message. */
    public CgroupException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    /** The violations (one element for a failed operation). */
    public List<String> problems() {
        return problems;
    }
}
