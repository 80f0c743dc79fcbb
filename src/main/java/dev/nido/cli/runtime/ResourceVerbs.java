package dev.nido.cli.runtime;

import dev.nido.cli.args.CommandSpec;
import dev.nido.cli.args.Opt;
import dev.nido.cli.args.Parsed;
import dev.nido.cli.args.UsageException;
import dev.nido.oci.Cpu;
import dev.nido.oci.Json;
import dev.nido.oci.Memory;
import dev.nido.oci.Pids;
import dev.nido.oci.Resources;
import dev.nido.runtime.ContainerException;
import dev.nido.runtime.Events;
import dev.nido.runtime.Freeze;
import dev.nido.runtime.Update;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** update, pause, resume, events: a running container's cgroup. */
final class ResourceVerbs {
    private ResourceVerbs() {
    }

    static final Verb UPDATE = new Verb(new CommandSpec("update", List.of(
            "Change a running container's resource limits (applied live; nothing half-applied on error).", "",
            "Examples:", "  nido-runtime update --memory 64m --pids-limit 100 box",
            "  nido-runtime update -r resources.json box   (runtime-spec linux.resources; - for stdin)"),
            List.of(Opt.value("FILE", "runtime-spec linux.resources JSON ('-': stdin)", "--resources", "-r"),
                    Opt.value("BYTES", "memory limit (e.g. 67108864, 64m, -1 for none)", "--memory"),
                    Opt.value("BYTES", "memory + swap limit", "--memory-swap"),
                    Opt.value("BYTES", "memory soft limit", "--memory-reservation"),
                    Opt.value("N", "CPU shares (relative weight)", "--cpu-shares", "--cpu-share"),
                    Opt.value("USEC", "CFS quota per period (-1 for none)", "--cpu-quota"),
                    Opt.value("USEC", "CFS period", "--cpu-period"),
                    Opt.value("USEC", "realtime runtime per period", "--cpu-rt-runtime"),
                    Opt.value("USEC", "realtime period", "--cpu-rt-period"),
                    Opt.value("LIST", "CPUs to use (e.g. 0-1)", "--cpuset-cpus"),
                    Opt.value("LIST", "memory nodes to use", "--cpuset-mems"),
                    Opt.value("N", "maximum number of processes (0 or -1: no limit)", "--pids-limit"),
                    Opt.value("N", "block I/O weight, 10-1000", "--blkio-weight")),
            List.of("ID"), List.of(), null),
            ResourceVerbs::update);

    static final Verb PAUSE = new Verb(new CommandSpec("pause", List.of(
            "Freeze every process of a container (cgroup freezer).", "", "Example:", "  nido-runtime pause box"),
            List.of(), List.of("ID"), List.of(), null),
            (a, top) -> {
                new Freeze(top.context()).pause(a.positional(0));
                return 0;
            });

    static final Verb RESUME = new Verb(new CommandSpec("resume", List.of(
            "Thaw a paused container.", "", "Example:", "  nido-runtime resume box"),
            List.of(), List.of("ID"), List.of(), null),
            (a, top) -> {
                new Freeze(top.context()).resume(a.positional(0));
                return 0;
            });

    static final Verb EVENTS = new Verb(new CommandSpec("events", List.of(
            "Print a container's resource usage as JSON events, and an oom event when its OOM killer struck (--stats: once).", "",
            "Example:", "  nido-runtime events --stats box"),
            List.of(Opt.flag("print one stats event and exit", "--stats"),
                    Opt.value("DURATION", "time between stats events (e.g. 5s, 500ms)", "--interval").withDefault("5s")),
            List.of("ID"), List.of(), null),
            ResourceVerbs::events);

    private static int update(Parsed a, RuntimeCli top) throws IOException {
        Resources r = a.value("--resources") != null ? readResources(a.value("--resources")) : fromFlags(a);
        new Update(top.context()).run(a.positional(0), r);
        return 0;
    }

    private static Resources readResources(String file) throws IOException {
        byte[] json = file.equals("-") ? System.in.readAllBytes() : Files.readAllBytes(Path.of(file));
        return Json.read(json, Resources.class, file.equals("-") ? "stdin" : file);
    }

    private static Resources fromFlags(Parsed a) {
        Memory mem = null;
        if (any(a, "--memory", "--memory-swap", "--memory-reservation")) {
            mem = new Memory(bytes(a, "--memory"), bytes(a, "--memory-reservation"), bytes(a, "--memory-swap"),
                    null, null, null, null, null, null);
        }
        Cpu cpu = null;
        if (any(a, "--cpu-shares", "--cpu-quota", "--cpu-period", "--cpu-rt-runtime", "--cpu-rt-period",
                "--cpuset-cpus", "--cpuset-mems")) {
            cpu = new Cpu(number(a, "--cpu-shares"), number(a, "--cpu-quota"), null, number(a, "--cpu-period"),
                    number(a, "--cpu-rt-runtime"), number(a, "--cpu-rt-period"), a.value("--cpuset-cpus"),
                    a.value("--cpuset-mems"), null);
        }
        Pids pids = a.value("--pids-limit") == null ? null : new Pids(number(a, "--pids-limit"));
        dev.nido.oci.BlockIO blkio = a.value("--blkio-weight") == null ? null
                : new dev.nido.oci.BlockIO(number(a, "--blkio-weight").intValue(), null, null, null, null, null, null);
        if (mem == null && cpu == null && pids == null && blkio == null) {
            throw new UsageException("update: nothing to change (give --memory, --cpu-shares, --pids-limit, ... or -r FILE)");
        }
        return new Resources(null, mem, cpu, pids, blkio, null, null, null, null);
    }

    private static boolean any(Parsed a, String... names) {
        for (String n : names) {
            if (a.value(n) != null) {
                return true;
            }
        }
        return false;
    }

    private static Long number(Parsed a, String name) {
        String v = a.value(name);
        if (v == null) {
            return null;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new UsageException(name + " \"" + v + "\": expected a whole number");
        }
    }

    /** Bytes with an optional binary unit (k, m, g, t; with or without b), as runc and docker accept. */
    static Long bytes(Parsed a, String name) {
        String v = a.value(name);
        if (v == null) {
            return null;
        }
        String s = v.strip().toLowerCase(Locale.ROOT);
        if (s.endsWith("b")) {
            s = s.substring(0, s.length() - 1);
        }
        long unit = 1;
        if (!s.isEmpty() && "kmgt".indexOf(s.charAt(s.length() - 1)) >= 0) {
            unit = 1L << (10 * ("kmgt".indexOf(s.charAt(s.length() - 1)) + 1));
            s = s.substring(0, s.length() - 1);
        }
        try {
            long n = Long.parseLong(s);
            return n < 0 ? -1L : Math.multiplyExact(n, unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new UsageException(name + " \"" + v + "\": expected bytes, e.g. 67108864, 64m or 1g (-1 for no limit)");
        }
    }

    private static int events(Parsed a, RuntimeCli top) throws InterruptedException {
        Events events = new Events(top.context());
        String id = a.positional(0);
        long interval = millis(a.value("--interval"));
        for (boolean first = true; ; first = false) {
            List<Map<String, Object>> polled;
            try {
                polled = a.flag("--stats") ? List.of(events.stats(id)) : events.poll(id);
            } catch (ContainerException stopped) {
                if (first) {
                    throw stopped;
                }
                return 0; // the stream ends with the container
            }
            for (Map<String, Object> e : polled) {
                System.out.println(new String(Json.writeCompact(e), StandardCharsets.UTF_8));
            }
            System.out.flush();
            if (a.flag("--stats")) {
                return 0;
            }
            Thread.sleep(interval);
        }
    }

    static long millis(String d) {
        String s = d.strip();
        try {
            if (s.endsWith("ms")) {
                return Long.parseLong(s.substring(0, s.length() - 2));
            }
            if (s.endsWith("s")) {
                return (long) (Double.parseDouble(s.substring(0, s.length() - 1)) * 1000);
            }
            return Long.parseLong(s) * 1000;
        } catch (NumberFormatException e) {
            throw new UsageException("--interval \"" + d + "\": expected a duration like 5s or 500ms");
        }
    }
}
