package dev.nido.cli.engine;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** Columns aligned for people, as docker prints them: a header, then rows, two spaces apart. */
final class Table {
    private final List<String[]> rows = new ArrayList<>();

    Table(String... header) {
        rows.add(header);
    }

    Table row(String... cells) {
        rows.add(cells);
        return this;
    }

    void print(PrintStream out) {
        int cols = rows.getFirst().length;
        int[] width = new int[cols];
        for (String[] r : rows) {
            for (int i = 0; i < cols; i++) {
                width[i] = Math.max(width[i], r[i] == null ? 0 : r[i].length());
            }
        }
        StringBuilder s = new StringBuilder();
        for (String[] r : rows) {
            for (int i = 0; i < cols; i++) {
                String c = r[i] == null ? "" : r[i];
                s.append(c);
                if (i < cols - 1) {
                    s.append(" ".repeat(width[i] - c.length() + 3));
                }
            }
            out.println(s.toString().stripTrailing());
            s.setLength(0);
        }
    }

    /** 1.2kB, 3.4MB, 5.6GB: decimal units, as docker shows sizes. */
    static String size(long bytes) {
        if (bytes < 1000) {
            return bytes + "B";
        }
        String[] units = {"kB", "MB", "GB", "TB"};
        double v = bytes;
        int u = -1;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return (v < 10 ? String.format("%.2f", v) : v < 100 ? String.format("%.1f", v) : String.format("%.0f", v))
                + units[u];
    }
}
