package dev.nido.engine;

import dev.nido.oci.SpecException;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * {@code nido logs}: the JSON lines the monitor writes ({@code ctr.log}, older ones in
 * {@code ctr.log.1..N}), Docker's json-file format, filtered by time and count, followed as the
 * file grows and rotates until the container stops.
 */
public final class Logs {
    /** One record of ctr.log. */
    public record Line(String log, String stream, String time) {
    }

    /** What to show. {@code since}: only newer records (null: all); {@code tail}: the last N (-1: all). */
    public record Query(Instant since, int tail, boolean timestamps, boolean follow) {
    }

    private final Path dir;
    private final OutputStream out;
    private final OutputStream err;

    public Logs(Path dir, OutputStream out, OutputStream err) {
        this.dir = dir;
        this.out = out;
        this.err = err;
    }

    /** {@code --since}: an RFC 3339 time, or a duration back from now (10s, 5m, 2h). */
    public static Instant since(String flag, Instant now) {
        if (flag == null) {
            return null;
        }
        try {
            return Instant.parse(flag);
        } catch (DateTimeParseException e) {
            try {
                String f = flag.strip().toLowerCase(java.util.Locale.ROOT);
                long n = Long.parseLong(f.substring(0, f.length() - 1));
                Duration d = switch (f.charAt(f.length() - 1)) {
                    case 's' -> Duration.ofSeconds(n);
                    case 'm' -> Duration.ofMinutes(n);
                    case 'h' -> Duration.ofHours(n);
                    default -> throw new NumberFormatException();
                };
                return now.minus(d);
            } catch (RuntimeException bad) {
                throw new EngineException("--since " + flag + ": expected a time like 2026-11-22T10:00:00Z or a"
                        + " duration like 30s, 10m, 2h");
            }
        }
    }

    /** Prints the records asked for; with follow, goes on until {@code up} says the container stopped. */
    public void show(Query q, BooleanSupplier up) throws IOException {
        List<Path> files = new ArrayList<>();
        for (int i = 9; i >= 1; i--) {
            Path f = dir.resolve(MonitorFiles.LOG + "." + i);
            if (Files.exists(f)) {
                files.add(f);
            }
        }
        Deque<Line> last = new ArrayDeque<>();
        for (Path f : files) {
            for (String s : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                keep(parse(s), q, last);
            }
        }
        Path current = dir.resolve(MonitorFiles.LOG);
        long offset = 0;
        Object inode = null;
        if (Files.exists(current)) {
            byte[] all = Files.readAllBytes(current);
            int end = lastNewline(all);
            for (String s : new String(all, 0, end, StandardCharsets.UTF_8).split("\n")) {
                keep(parse(s), q, last);
            }
            offset = end;
            inode = inode(current);
        }
        for (Line l : last) {
            print(l, q.timestamps());
        }
        if (q.follow()) {
            follow(current, offset, inode, q, up);
        }
    }

    private void follow(Path f, long offset, Object inode, Query q, BooleanSupplier up) throws IOException {
        boolean stopping = false;
        while (true) {
            Object now = Files.exists(f) ? inode(f) : null;
            if (now != null && (!now.equals(inode) || Files.size(f) < offset)) {
                inode = now; // rotated: the monitor started a new ctr.log
                offset = 0;
            }
            if (now != null && Files.size(f) > offset) {
                try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "r")) {
                    r.seek(offset);
                    byte[] b = new byte[(int) Math.min(r.length() - offset, 1 << 24)];
                    r.readFully(b);
                    int end = lastNewline(b);
                    for (String s : new String(b, 0, end, StandardCharsets.UTF_8).split("\n")) {
                        Line l = parse(s);
                        if (l != null && (q.since() == null || !time(l).isBefore(q.since()))) {
                            print(l, q.timestamps());
                        }
                    }
                    offset += end;
                }
                continue;
            }
            if (stopping) {
                return;
            }
            stopping = !up.getAsBoolean(); // one more read after the stop: the monitor's last lines
            if (!stopping) {
                sleep();
            }
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Object inode(Path f) throws IOException {
        return Files.readAttributes(f, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
    }

    private static int lastNewline(byte[] b) {
        for (int i = b.length - 1; i >= 0; i--) {
            if (b[i] == '\n') {
                return i + 1;
            }
        }
        return 0;
    }

    private static void keep(Line l, Query q, Deque<Line> last) {
        if (l == null || q.since() != null && time(l).isBefore(q.since())) {
            return;
        }
        last.addLast(l);
        if (q.tail() >= 0 && last.size() > q.tail()) {
            last.removeFirst();
        }
    }

    static Line parse(String s) {
        if (s.isBlank()) {
            return null;
        }
        try {
            dev.nido.oci.JsonMap m = dev.nido.oci.JsonMap.parse(s.getBytes(StandardCharsets.UTF_8), "ctr.log");
            return new Line(m.string("log"), m.string("stream"), m.string("time"));
        } catch (SpecException e) {
            return null; // a torn last line of a killed monitor
        }
    }

    private static Instant time(Line l) {
        try {
            return Instant.parse(l.time());
        } catch (RuntimeException e) {
            return Instant.EPOCH;
        }
    }

    private void print(Line l, boolean timestamps) throws IOException {
        OutputStream o = "stderr".equals(l.stream()) ? err : out;
        if (timestamps) {
            o.write((l.time() + " ").getBytes(StandardCharsets.UTF_8));
        }
        o.write(l.log() == null ? new byte[0] : l.log().getBytes(StandardCharsets.UTF_8));
        o.flush();
    }
}
