package dev.nido.linux;

/**
 * A file descriptor number owned by this process.
 *
 * <p>{@code equals}, {@code hashCode} and {@code toString} are written out: the generated ones
 * (and string {@code +}) bootstrap an invokedynamic call site on first use, several
 * milliseconds of a short-lived command's start-up.
 */
public record Fd(int value) {
    @Override
    public boolean equals(Object o) {
        return o instanceof Fd other && other.value == value;
    }

    @Override
    public int hashCode() {
        return Integer.hashCode(value);
    }

    @Override
    public String toString() {
        return "fd ".concat(Integer.toString(value));
    }
}
