package dev.nido.linux;

/** The two ends of a pipe(2). */
public record Pipe(Fd readEnd, Fd writeEnd) {
}
