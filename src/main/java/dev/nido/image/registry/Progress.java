package dev.nido.image.registry;

import dev.nido.image.store.Digest;

import java.io.Console;
import java.io.PrintStream;

/**
 * What a pull or push tells the user while it runs: per blob a start, advances and a done (or that
 * it was there already), and messages. Called from several threads at once (blobs move in
 * parallel); implementations are thread-safe. Every method does nothing by default.
 */
public interface Progress {
    /** Which way a blob moves. */
    enum Kind {
        PULL("pulling"), PUSH("pushing");

        private final String verb;

        Kind(String verb) {
            this.verb = verb;
        }

        public String verb() {
            return verb;
        }
    }

    /** A blob starts moving; {@code size} -1 if unknown; {@code offset} above 0 when a download resumes. */
    default void start(Kind kind, Digest blob, long size, long offset) {
    }

    /** {@code position} bytes of the blob are done (counting from its first byte, not from the resume). */
    default void advance(Digest blob, long position) {
    }

    /** The blob is complete and verified. */
    default void done(Digest blob) {
    }

    /** The blob was there already (in the store, or in the registry). */
    default void skipped(Kind kind, Digest blob, long size) {
    }

    default void message(String text) {
    }

    static Progress none() {
        return new Progress() {
        };
    }

    /** A line per blob when it starts and when it is done: for logs and pipes. */
    static Progress plain(PrintStream out) {
        return new PlainProgress(out);
    }

    /** A line per blob redrawn in place with a bar: for a terminal that understands ANSI escapes. */
    static Progress terminal(PrintStream out) {
        return new TerminalProgress(out);
    }

    /** {@link #terminal} when standard output is a terminal, else {@link #plain}. */
    static Progress forConsole(PrintStream out) {
        Console c = System.console();
        return c != null && c.isTerminal() ? terminal(out) : plain(out);
    }

    /** {@code 512 B}, {@code 3.4 kB}, {@code 40.1 MB}, {@code 1.2 GB} (decimal units, as Docker shows them). */
    static String size(long bytes) {
        if (bytes < 0) {
            return "?";
        }
        if (bytes < 1000) {
            return bytes + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB"};
        double v = bytes;
        int u = -1;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** {@code sha256:} and the first 12 hex digits. */
    static String shortName(Digest blob) {
        return "sha256:" + blob.shortHex();
    }
}
