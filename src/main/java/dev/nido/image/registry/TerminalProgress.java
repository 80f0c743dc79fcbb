package dev.nido.image.registry;

import dev.nido.image.store.Digest;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;

/**
 * One line per blob, redrawn in place: {@code sha256:abcd12345678  [=====>        ]  12.3/40.1 MB}.
 * Each line remembers the row it was printed on; to redraw it the cursor goes up to it (ANSI
 * {@code ESC[nA}), rewrites it and comes back down. Redraws of a line are at most ten a second.
 */
final class TerminalProgress implements Progress {
    private static final int BAR = 30;
    private static final long REDRAW_NANOS = 100_000_000L;
    private final PrintStream out;
    private final Map<Digest, Line> lines = new HashMap<>();
    /** Lines printed so far: a line's distance from the cursor is {@code printed - row}. */
    private int printed;

    private static final class Line {
        final int row;
        final long size;
        long position;
        long drawn;

        Line(int row, long size, long position) {
            this.row = row;
            this.size = size;
            this.position = position;
        }
    }

    TerminalProgress(PrintStream out) {
        this.out = out;
    }

    @Override
    public synchronized void start(Kind kind, Digest blob, long size, long offset) {
        Line l = lines.get(blob);
        if (l == null) {
            l = new Line(printed++, size, offset);
            lines.put(blob, l);
            out.print(render(blob, l) + "\n");
        } else {
            l.position = offset;
            redraw(blob, l, render(blob, l));
        }
        out.flush();
    }

    @Override
    public synchronized void advance(Digest blob, long position) {
        Line l = lines.get(blob);
        if (l == null) {
            return;
        }
        l.position = position;
        long now = System.nanoTime();
        if (now - l.drawn >= REDRAW_NANOS) {
            l.drawn = now;
            redraw(blob, l, render(blob, l));
            out.flush();
        }
    }

    @Override
    public synchronized void done(Digest blob) {
        Line l = lines.get(blob);
        if (l != null) {
            redraw(blob, l, Progress.shortName(blob) + "  done  " + Progress.size(l.size));
            out.flush();
        }
    }

    @Override
    public synchronized void skipped(Kind kind, Digest blob, long size) {
        lines.put(blob, new Line(printed++, size, size));
        out.print(Progress.shortName(blob) + "  exists  " + Progress.size(size) + "\n");
        out.flush();
    }

    @Override
    public synchronized void message(String text) {
        printed++;
        out.print(text + "\n");
        out.flush();
    }

    private void redraw(Digest blob, Line l, String text) {
        int up = printed - l.row;
        out.print("\033[" + up + "A\r" + text + "\033[K\033[" + up + "B\r");
    }

    /** {@code sha256:abcd12345678  [=====>        ]  12.3/40.1 MB}. */
    static String render(Digest blob, long position, long size) {
        StringBuilder b = new StringBuilder(Progress.shortName(blob)).append("  [");
        int filled = size > 0 ? (int) Math.min(BAR, position * BAR / size) : 0;
        for (int i = 0; i < BAR; i++) {
            b.append(i < filled ? '=' : i == filled ? '>' : ' ');
        }
        b.append("]  ");
        if (size >= 0) {
            String total = Progress.size(size);
            String unit = total.substring(total.indexOf(' '));
            b.append(inUnit(position, unit)).append('/').append(total);
        } else {
            b.append(Progress.size(position));
        }
        return b.toString();
    }

    private String render(Digest blob, Line l) {
        return render(blob, l.position, l.size);
    }

    /** {@code position} in the unit of the total ({@code 12.3} when the total is in MB). */
    private static String inUnit(long position, String unit) {
        double div = switch (unit.trim()) {
            case "kB" -> 1e3;
            case "MB" -> 1e6;
            case "GB" -> 1e9;
            case "TB" -> 1e12;
            default -> 1;
        };
        return div == 1 ? Long.toString(position) : String.format(java.util.Locale.ROOT, "%.1f", position / div);
    }
}
