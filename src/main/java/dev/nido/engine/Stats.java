package dev.nido.engine;

import dev.nido.image.build.RuntimeLauncher;
import dev.nido.oci.Json;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code nido stats}: a container's usage from its cgroups, read by the runtime's
 * {@code events} stream (cpu time, memory, pids, block I/O), and network bytes from its init's
 * {@code /proc/PID/net/dev}. CPU % is the cpu time used between two samples over the wall time
 * between them: 100 % is one CPU busy.
 */
public final class Stats implements AutoCloseable {
    /** One line of the table. */
    public record Row(String id, String name, double cpuPercent, long memUsage, long memLimit, long netRx,
                      long netTx, long blockRead, long blockWrite, long pids) {
    }

    private final Containers cs;
    private final ContainerInfo c;
    private final java.lang.Process events;
    private final BufferedReader lines;
    private long lastCpu = -1;
    private long lastWall;

    public Stats(Containers cs, ContainerInfo c, long intervalMillis) {
        this.cs = cs;
        this.c = c;
        try {
            events = new ProcessBuilder(RuntimeLauncher.find().toString(), "--root", cs.runtimeRoot().toString(),
                    "events", "--interval", intervalMillis + "ms", c.id()).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            throw new EngineException("cannot run nido-runtime events: " + e.getMessage(), e);
        }
        lines = new BufferedReader(new InputStreamReader(events.getInputStream(), StandardCharsets.UTF_8));
    }

    /** The next sample (blocks for one interval), or null when the container has gone. */
    @SuppressWarnings("unchecked")
    public Row next() throws IOException {
        while (true) {
            String l = lines.readLine();
            if (l == null) {
                return null;
            }
            Map<String, Object> e = (Map<String, Object>) Json.read(l.getBytes(StandardCharsets.UTF_8), Object.class,
                    "events");
            if (!"stats".equals(e.get("type"))) {
                continue;
            }
            Map<String, Object> d = (Map<String, Object>) e.get("data");
            long cpu = num(d, "cpu", "usage", "total");
            long wall = System.nanoTime();
            double pct = lastCpu < 0 || wall == lastWall ? 0 : 100.0 * (cpu - lastCpu) / (wall - lastWall);
            lastCpu = cpu;
            lastWall = wall;
            long limit = num(d, "memory", "usage", "limit");
            long[] net = net();
            long[] blk = blkio(d);
            return new Row(c.id(), c.name(), Math.max(0, pct), num(d, "memory", "usage", "usage"),
                    limit <= 0 || limit > hostMemory() ? hostMemory() : limit, net[0], net[1], blk[0], blk[1],
                    num(d, "pids", "current"));
        }
    }

    @SuppressWarnings("unchecked")
    private static long num(Map<String, Object> m, String... path) {
        Object o = m;
        for (String p : path) {
            if (!(o instanceof Map<?, ?> map)) {
                return 0;
            }
            o = ((Map<String, Object>) map).get(p);
        }
        return o instanceof Number n ? n.longValue() : 0;
    }

    @SuppressWarnings("unchecked")
    private static long[] blkio(Map<String, Object> d) {
        long r = 0;
        long w = 0;
        Object b = d.get("blkio");
        if (b instanceof Map<?, ?> m && m.get("ioServiceBytesRecursive") instanceof List<?> l) {
            for (Object o : l) {
                Map<String, Object> e = (Map<String, Object>) o;
                String op = String.valueOf(e.get("op")).toLowerCase(java.util.Locale.ROOT);
                long v = e.get("value") instanceof Number n ? n.longValue() : 0;
                if (op.equals("read")) {
                    r += v;
                } else if (op.equals("write")) {
                    w += v;
                }
            }
        }
        return new long[] {r, w};
    }

    /** Received and sent bytes over the container's interfaces but loopback. */
    private long[] net() {
        MonitorFiles.Pids p = MonitorFiles.pids(cs.dir(c.id()));
        long rx = 0;
        long tx = 0;
        if (p == null) {
            return new long[] {0, 0};
        }
        try {
            for (String l : Files.readAllLines(Path.of("/proc/" + p.init() + "/net/dev"))) {
                int colon = l.indexOf(':');
                if (colon < 0 || l.substring(0, colon).strip().equals("lo")) {
                    continue;
                }
                String[] f = l.substring(colon + 1).strip().split("\\s+");
                rx += Long.parseLong(f[0]);
                tx += Long.parseLong(f[8]);
            }
        } catch (IOException | RuntimeException e) {
            // gone meanwhile
        }
        return new long[] {rx, tx};
    }

    private static long hostMemory() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (l.startsWith("MemTotal:")) {
                    return Long.parseLong(l.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // unknown
        }
        return 0;
    }

    @Override
    public void close() {
        events.destroy();
    }
}
