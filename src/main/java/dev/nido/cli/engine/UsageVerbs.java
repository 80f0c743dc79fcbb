package dev.nido.cli.engine;

import dev.nido.cli.args.CommandSpec;
import dev.nido.cli.args.Opt;
import dev.nido.cli.args.Parsed;
import dev.nido.engine.ContainerInfo;
import dev.nido.engine.Containers;
import dev.nido.engine.EngineException;
import dev.nido.engine.LiveState;
import dev.nido.engine.RestartPolicy;
import dev.nido.engine.Stats;
import dev.nido.engine.UpdateCommand;
import dev.nido.oci.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** stats, update and LXC's ls -f: what containers use and may use. */
final class UsageVerbs {
    private UsageVerbs() {
    }

    static final EngineVerb STATS = new EngineVerb(new CommandSpec("stats", List.of(
            "Show running containers' resource use: CPU % (100 % = one CPU), memory use and limit, network and",
            "block I/O, processes. Refreshed every second until ctrl-c; --no-stream: once.", "",
            "Examples:", "  nido stats", "  nido stats --no-stream --format json web"),
            List.of(Opt.flag("print one sample and exit", "--no-stream"), ImageVerbs.FORMAT),
            List.of(), List.of(), "CONTAINER"), UsageVerbs::stats);

    static final EngineVerb UPDATE = new EngineVerb(new CommandSpec("update", List.of(
            "Change containers' limits, live when they run (and kept for their next starts), or their restart policy.",
            "", "Example:", "  nido update --memory 128m --cpus 0.5 web"),
            List.of(Opt.value("SIZE", "memory limit", "--memory", "-m"),
                    Opt.value("SIZE", "memory + swap limit (-1: unlimited)", "--memory-swap"),
                    Opt.value("CPUS", "CPU time, e.g. 0.5", "--cpus"),
                    Opt.value("SHARES", "relative CPU weight", "--cpu-shares"),
                    Opt.value("LIST", "CPUs allowed, e.g. 0-1", "--cpuset-cpus"),
                    Opt.value("N", "most processes at once", "--pids-limit"),
                    Opt.value("POLICY", "no, on-failure[:N], always, unless-stopped", "--restart")),
            List.of("CONTAINER"), List.of(), "MORE"), UsageVerbs::update);

    static final EngineVerb LS = new EngineVerb(new CommandSpec("ls", List.of(
            "List containers as lxc-ls does (-f: a table with state, pid, addresses and image).", "",
            "Example:", "  nido ls -f"),
            List.of(Opt.flag("a table: NAME STATE AUTOSTART PID IPV4 IMAGE", "--fancy", "-f")),
            List.of(), List.of(), null), UsageVerbs::ls);

    static final List<EngineVerb> ALL = List.of(STATS, UPDATE, LS);

    private static int stats(Parsed a, EngineCli top) throws IOException {
        Containers cs = new Containers(top.context().root());
        List<ContainerInfo> chosen = new ArrayList<>();
        if (a.restFrom(0).isEmpty()) {
            for (ContainerInfo c : cs.list()) {
                if (LiveState.of(cs, c).state().equals("running")) {
                    chosen.add(c);
                }
            }
        } else {
            for (String r : a.restFrom(0)) {
                ContainerInfo c = cs.find(r);
                if (!LiveState.of(cs, c).isUp()) {
                    throw new EngineException("container " + c.name() + " is not running");
                }
                chosen.add(c);
            }
        }
        boolean once = a.flag("--no-stream");
        boolean json = "json".equals(a.value("--format"));
        List<Stats> streams = new ArrayList<>();
        try {
            for (ContainerInfo c : chosen) {
                streams.add(new Stats(cs, c, once ? 500 : 1000));
            }
            for (Stats s : streams) {
                s.next(); // the first sample only anchors the CPU time
            }
            while (true) {
                List<Stats.Row> rows = new ArrayList<>();
                for (Stats s : streams) {
                    Stats.Row r = s.next();
                    if (r != null) {
                        rows.add(r);
                    }
                }
                print(rows, json, !once && System.console() != null);
                if (once || rows.isEmpty()) {
                    return 0;
                }
            }
        } finally {
            streams.forEach(Stats::close);
        }
    }

    private static void print(List<Stats.Row> rows, boolean json, boolean clear) {
        if (json) {
            for (Stats.Row r : rows) {
                System.out.println(new String(Json.writeCompact(r), StandardCharsets.UTF_8));
            }
            return;
        }
        Table t = new Table("CONTAINER ID", "NAME", "CPU %", "MEM USAGE / LIMIT", "MEM %", "NET I/O", "BLOCK I/O",
                "PIDS");
        for (Stats.Row r : rows) {
            t.row(r.id().substring(0, 12), r.name(), String.format("%.2f%%", r.cpuPercent()),
                    size(r.memUsage()) + " / " + size(r.memLimit()),
                    String.format("%.2f%%", r.memLimit() == 0 ? 0.0 : 100.0 * r.memUsage() / r.memLimit()),
                    size(r.netRx()) + " / " + size(r.netTx()), size(r.blockRead()) + " / " + size(r.blockWrite()),
                    Long.toString(r.pids()));
        }
        if (clear) {
            System.out.print("\033[2J\033[H");
        }
        t.print(System.out);
    }

    static String size(long b) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = b;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? b + "B" : String.format("%.1f%s", v, units[u]);
    }

    private static int update(Parsed a, EngineCli top) {
        String swap = a.value("--memory-swap");
        var limits = new UpdateCommand.Limits(ContainerVerbs.Sizes.bytes(a.value("--memory"), "--memory"),
                swap == null ? null : swap.strip().equals("-1") ? Long.valueOf(-1)
                        : ContainerVerbs.Sizes.bytes(swap, "--memory-swap"),
                ContainerVerbs.Sizes.fraction(a.value("--cpus"), "--cpus"),
                ContainerVerbs.Sizes.number(a.value("--cpu-shares"), "--cpu-shares"), a.value("--cpuset-cpus"),
                ContainerVerbs.Sizes.number(a.value("--pids-limit"), "--pids-limit"),
                a.value("--restart") == null ? null : RestartPolicy.parse(a.value("--restart")));
        UpdateCommand u = new UpdateCommand(new Containers(top.context().root()));
        List<String> refs = new ArrayList<>(List.of(a.positional(0)));
        refs.addAll(a.restFrom(1));
        int code = 0;
        for (String r : refs) {
            try {
                u.update(r, limits);
                System.out.println(r);
            } catch (EngineException e) {
                System.err.println("nido: " + e.getMessage());
                code = 1;
            }
        }
        return code;
    }

    private static int ls(Parsed a, EngineCli top) {
        Containers cs = new Containers(top.context().root());
        if (!a.flag("--fancy")) {
            List<String> names = new ArrayList<>();
            cs.list().forEach(c -> names.add(c.name()));
            System.out.println(String.join("  ", names));
            return 0;
        }
        Table t = new Table("NAME", "STATE", "AUTOSTART", "PID", "IPV4", "IMAGE");
        for (ContainerInfo c : cs.list()) {
            LiveState s = LiveState.of(cs, c);
            t.row(c.name(), s.state().toUpperCase(java.util.Locale.ROOT),
                    c.host().restart().name().equals("no") ? "0" : "1", s.pid() > 0 ? Integer.toString(s.pid()) : "-",
                    "-", c.image());
        }
        t.print(System.out);
        return 0;
    }
}
