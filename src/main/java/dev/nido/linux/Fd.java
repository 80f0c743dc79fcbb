package dev.nido.linux;

/** A file descriptor number owned by this process. */
public record Fd(int value) {
    @Override
    public String toString() {
        return "fd " + value;
    }
}
