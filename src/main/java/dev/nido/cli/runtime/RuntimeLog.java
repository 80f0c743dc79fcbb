package dev.nido.cli.runtime;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Log lines as runc writes them: {@code --log-format json} gives one JSON object per line with
 * level, msg and time (containerd and conmon read the error from there); text gives logrus-style
 * {@code time="…" level=error msg="…"} lines. Errors always also go to stderr, plainly.
 */
final class RuntimeLog {
    private final Path file;
    private final boolean json;
    private final boolean debug;

    RuntimeLog(Path file, String format, boolean debug) {
        this.file = file;
        this.json = "json".equals(format);
        this.debug = debug;
        if (!"json".equals(format) && !"text".equals(format)) {
            throw new IllegalArgumentException("--log-format \"" + format + "\": expected text or json");
        }
    }

    void error(String msg, Throwable cause) {
        System.err.println(msg);
        if (debug && cause != null) {
            StringWriter sw = new StringWriter();
            cause.printStackTrace(new PrintWriter(sw));
            System.err.print(sw);
        }
        if (file != null) {
            append("error", msg);
        }
    }

    void warn(String msg) {
        if (file != null) {
            append("warning", msg);
        } else {
            System.err.println("warning: " + msg);
        }
    }

    void debug(String msg) {
        if (debug) {
            if (file != null) {
                append("debug", msg);
            } else {
                System.err.println("debug: " + msg);
            }
        }
    }

    private void append(String level, String msg) {
        String time = Instant.now().toString();
        String line = json
                ? "{\"level\":\"" + level + "\",\"msg\":" + quote(msg) + ",\"time\":\"" + time + "\"}\n"
                : "time=\"" + time + "\" level=" + level + " msg=" + quote(msg) + "\n";
        try (FileOutputStream out = new FileOutputStream(file.toFile(), true)) {
            out.write(line.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            System.err.println("cannot write log " + file + ": " + e.getMessage());
        }
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
