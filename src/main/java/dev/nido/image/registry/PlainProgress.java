package dev.nido.image.registry;

import dev.nido.image.store.Digest;

import java.io.PrintStream;

/** {@code pulling sha256:abcd12345678 (40.1 MB)} … {@code done sha256:abcd12345678}: a line per event that matters. */
final class PlainProgress implements Progress {
    private final PrintStream out;

    PlainProgress(PrintStream out) {
        this.out = out;
    }

    @Override
    public void start(Kind kind, Digest blob, long size, long offset) {
        line(offset > 0
                ? "resuming " + Progress.shortName(blob) + " at " + Progress.size(offset) + " of " + Progress.size(size)
                : kind.verb() + " " + Progress.shortName(blob) + " (" + Progress.size(size) + ")");
    }

    @Override
    public void done(Digest blob) {
        line("done " + Progress.shortName(blob));
    }

    @Override
    public void skipped(Kind kind, Digest blob, long size) {
        line("exists " + Progress.shortName(blob) + " (" + Progress.size(size) + ")");
    }

    @Override
    public void message(String text) {
        line(text);
    }

    private void line(String text) {
        synchronized (out) {
            out.println(text);
            out.flush();
        }
    }
}
