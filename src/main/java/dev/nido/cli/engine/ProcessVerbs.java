package dev.nido.cli.engine;

import dev.nido.cli.args.CommandSpec;
import dev.nido.cli.args.Opt;
import dev.nido.cli.args.Parsed;
import dev.nido.engine.AttachClient;
import dev.nido.engine.ContainerInfo;
import dev.nido.engine.Containers;
import dev.nido.engine.EngineException;
import dev.nido.engine.Lifecycle;
import dev.nido.engine.LiveState;
import dev.nido.engine.Logs;
import dev.nido.engine.ProcessCommands;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The commands on a container's processes: stop, kill, restart, wait, logs, attach, console, exec, top, pause. */
final class ProcessVerbs {
    private ProcessVerbs() {
    }

    static final EngineVerb STOP = new EngineVerb(new CommandSpec("stop", List.of(
            "Stop containers: their stop signal (the image's, --stop-signal, or TERM), then SIGKILL after the timeout.",
            "", "Example:", "  nido stop -t 2 web"),
            List.of(Opt.value("SECONDS", "wait this long before SIGKILL (default: the container's, 10)", "--time", "-t")),
            List.of("CONTAINER"), List.of(), "MORE"), ProcessVerbs::stop);

    static final EngineVerb RESTART = new EngineVerb(new CommandSpec("restart", List.of(
            "Stop containers (as stop does) and start them again.", "", "Example:", "  nido restart web"),
            List.of(Opt.value("SECONDS", "wait this long before SIGKILL", "--time", "-t")),
            List.of("CONTAINER"), List.of(), "MORE"), ProcessVerbs::restart);

    static final EngineVerb KILL = new EngineVerb(new CommandSpec("kill", List.of(
            "Send a signal to containers' init (default KILL).", "", "Example:", "  nido kill -s HUP web"),
            List.of(Opt.value("SIGNAL", "the signal (name or number)", "--signal", "-s").withDefault("KILL")),
            List.of("CONTAINER"), List.of(), "MORE"), ProcessVerbs::kill);

    static final EngineVerb WAIT = new EngineVerb(new CommandSpec("wait", List.of(
            "Wait until containers stop and print their exit statuses.", "", "Example:", "  nido wait job"),
            List.of(), List.of("CONTAINER"), List.of(), "MORE"), ProcessVerbs::await);

    static final EngineVerb LOGS = new EngineVerb(new CommandSpec("logs", List.of(
            "Show a container's output (kept by its monitor, also after it stopped).", "",
            "Examples:", "  nido logs -f web", "  nido logs --since 10m --tail 20 -t web"),
            List.of(Opt.flag("follow the output until the container stops", "--follow", "-f"),
                    Opt.value("WHEN", "only newer lines: a time (2026-11-22T10:00:00Z) or a duration (10m)", "--since"),
                    Opt.value("N", "only the last N lines (all: every line)", "--tail", "-n").withDefault("all"),
                    Opt.flag("prefix each line with its time", "--timestamps", "-t")),
            List.of("CONTAINER"), List.of(), null), ProcessVerbs::logs);

    static final EngineVerb ATTACH = new EngineVerb(new CommandSpec("attach", List.of(
            "Attach to a running container's output (and input, if it was started with -i or -t).",
            "With a terminal, ctrl-p ctrl-q detaches and leaves it running.", "", "Example:", "  nido attach web"),
            List.of(Opt.flag("do not send our standard input", "--no-stdin"),
                    Opt.value("KEYS", "keys that detach, e.g. ctrl-a,q (default ctrl-p,ctrl-q; '' none)",
                            "--detach-keys"),
                    Opt.value("BOOL", "pass our SIGINT/SIGTERM/SIGHUP/SIGQUIT on (default true)", "--sig-proxy")
                            .withDefault("true")),
            List.of("CONTAINER"), List.of(), null), ProcessVerbs::attach);

    static final EngineVerb CONSOLE = new EngineVerb(new CommandSpec("console", List.of(
            "Attach to a container's console (its terminal), as lxc-console does: ctrl-a q detaches.", "",
            "Example:", "  nido console sys"),
            List.of(), List.of("CONTAINER"), List.of(), null), ProcessVerbs::console);

    static final EngineVerb EXEC = new EngineVerb(new CommandSpec("exec", List.of(
            "Run a command in a running container; the exit status is the command's.", "",
            "Examples:", "  nido exec web ps", "  nido exec -it web sh", "  nido exec -u 1000 -w /tmp -e X=1 web env"),
            List.of(Opt.flag("keep standard input open", "--interactive", "-i"),
                    Opt.flag("a terminal", "--tty", "-t"), Opt.flag("-i and -t", "-it"),
                    Opt.flag("do not wait for the command", "--detach", "-d"),
                    Opt.repeated("KEY[=VALUE]", "environment variable", "--env", "-e"),
                    Opt.value("USER[:GROUP]", "user (name or number)", "--user", "-u"),
                    Opt.value("DIR", "working directory", "--workdir", "-w")),
            List.of("CONTAINER"), List.of(), "COMMAND"), ProcessVerbs::exec);

    static final EngineVerb TOP = new EngineVerb(new CommandSpec("top", List.of(
            "Show a container's processes (ps(1) options after the name; default -ef).", "",
            "Example:", "  nido top web", "  nido top web -o pid,rss,comm"),
            List.of(), List.of("CONTAINER"), List.of(), "PS_OPTIONS"), ProcessVerbs::top);

    static final EngineVerb PAUSE = new EngineVerb(new CommandSpec("pause", List.of(
            "Freeze every process of containers (the cgroup freezer).", "", "Example:", "  nido pause web"),
            List.of(), List.of("CONTAINER"), List.of(), "MORE"), (a, top) -> pause(a, top, true));

    static final EngineVerb UNPAUSE = new EngineVerb(new CommandSpec("unpause", List.of(
            "Thaw paused containers.", "", "Example:", "  nido unpause web"),
            List.of(), List.of("CONTAINER"), List.of(), "MORE"), (a, top) -> pause(a, top, false));

    static final EngineVerb CLEANUP = new EngineVerb(new CommandSpec("container-cleanup", List.of(
            "After a container's init exited: unmount it, remove it (--rm) or restart it (its restart policy).",
            "Its monitor runs this; it is safe to run by hand."),
            List.of(), List.of("CONTAINER"), List.of(), null),
            (a, top) -> {
                lifecycle(top).cleanup(a.positional(0));
                return 0;
            });

    static final List<EngineVerb> ALL = List.of(STOP, RESTART, KILL, WAIT, LOGS, ATTACH, CONSOLE, EXEC, TOP, PAUSE,
            UNPAUSE, CLEANUP);

    private static Containers containers(EngineCli top) {
        return new Containers(top.context().root());
    }

    static Lifecycle lifecycle(EngineCli top) {
        return new Lifecycle(top.context().images(), containers(top), top.sys(), top.explain());
    }

    private static List<String> refs(Parsed a) {
        List<String> r = new ArrayList<>(List.of(a.positional(0)));
        r.addAll(a.restFrom(1));
        return r;
    }

    /** Runs {@code each} on every container named; errors are printed per container, status 1 if any. */
    private static int forEach(Parsed a, java.util.function.Consumer<String> each) {
        int code = 0;
        for (String r : refs(a)) {
            try {
                each.accept(r);
                System.out.println(r);
            } catch (EngineException e) {
                System.err.println("nido: " + e.getMessage());
                code = 1;
            }
        }
        return code;
    }

    private static Integer seconds(Parsed a) {
        Long t = ContainerVerbs.Sizes.number(a.value("--time"), "--time");
        if (t != null && t < 0) {
            throw new EngineException("--time " + t + ": must be 0 or more seconds");
        }
        return t == null ? null : Math.toIntExact(t);
    }

    private static int stop(Parsed a, EngineCli top) {
        Integer t = seconds(a);
        Lifecycle lc = lifecycle(top);
        return forEach(a, r -> lc.stop(r, t));
    }

    private static int restart(Parsed a, EngineCli top) {
        Integer t = seconds(a);
        Lifecycle lc = lifecycle(top);
        return forEach(a, r -> {
            lc.stop(r, t);
            lc.start(r, null);
        });
    }

    private static int kill(Parsed a, EngineCli top) {
        String sig = a.value("--signal");
        try {
            dev.nido.linux.Signals.parse(sig.toUpperCase(java.util.Locale.ROOT).replaceFirst("^SIG", ""));
        } catch (RuntimeException e) {
            throw new EngineException("--signal " + sig + ": not a signal (e.g. KILL, TERM, HUP, 9)");
        }
        Lifecycle lc = lifecycle(top);
        return forEach(a, r -> lc.kill(r, sig.toUpperCase(java.util.Locale.ROOT).replaceFirst("^SIG", "")));
    }

    private static int await(Parsed a, EngineCli top) {
        Lifecycle lc = lifecycle(top);
        int code = 0;
        for (String r : refs(a)) {
            try {
                System.out.println(lc.await(r));
            } catch (EngineException e) {
                System.err.println("nido: " + e.getMessage());
                code = 1;
            }
        }
        return code;
    }

    private static int logs(Parsed a, EngineCli top) throws java.io.IOException {
        Containers cs = containers(top);
        ContainerInfo c = cs.find(a.positional(0));
        String tail = a.value("--tail");
        int n;
        try {
            n = tail.equals("all") ? -1 : Integer.parseInt(tail);
        } catch (NumberFormatException e) {
            throw new EngineException("--tail " + tail + ": expected a number of lines or all");
        }
        Logs logs = new Logs(cs.dir(c.id()), System.out, System.err);
        logs.show(new Logs.Query(Logs.since(a.value("--since"), Instant.now()), n, a.flag("--timestamps"),
                a.flag("--follow")), () -> {
                    LiveState s = LiveState.of(cs, cs.find(c.id()));
                    return s.isUp() || s.state().equals("restarting");
                });
        return 0;
    }

    private static ContainerInfo up(Containers cs, String ref) {
        ContainerInfo c = cs.find(ref);
        LiveState s = LiveState.of(cs, c);
        if (!s.state().equals("running") && !s.state().equals("paused")) {
            throw new EngineException("container " + c.name() + " is " + s.state() + ": start it first (nido start "
                    + c.name() + ")");
        }
        return c;
    }

    private static int attach(Parsed a, EngineCli top) {
        Containers cs = containers(top);
        ContainerInfo c = up(cs, a.positional(0));
        boolean stdin = !a.flag("--no-stdin") && (c.host().interactive() || c.host().tty());
        try (AttachClient client = AttachClient.connect(cs.attachSocket(c.id()), c.name())) {
            return AttachSession.attach(client, stdin, c.host().tty(),
                    AttachSession.keys(a.value("--detach-keys"), AttachSession.DOCKER_DETACH), ContainerVerbs.sigProxy(a));
        }
    }

    private static int console(Parsed a, EngineCli top) {
        Containers cs = containers(top);
        ContainerInfo c = up(cs, a.positional(0));
        if (!c.host().tty()) {
            throw new EngineException("container " + c.name() + " has no terminal (run it with -t or --system);"
                    + " nido attach " + c.name() + " shows its output");
        }
        System.err.println("Connected to " + c.name() + "'s console: type <ctrl-a q> to detach.");
        try (AttachClient client = AttachClient.connect(cs.attachSocket(c.id()), c.name())) {
            return AttachSession.attach(client, true, true, AttachSession.LXC_DETACH, false);
        }
    }

    private static int exec(Parsed a, EngineCli top) {
        boolean it = a.flag("-it");
        var o = new ProcessCommands.ExecOptions(a.flag("--interactive") || it, a.flag("--tty") || it,
                a.flag("--detach"), a.all("--env"), a.value("--user"), a.value("--workdir"), a.restFrom(1));
        return new ProcessCommands(top.context().images(), containers(top), top.sys(), top.explain())
                .exec(a.positional(0), o);
    }

    private static int top(Parsed a, EngineCli top) {
        return new ProcessCommands(top.context().images(), containers(top), top.sys(), false)
                .top(a.positional(0), a.restFrom(1));
    }

    private static int pause(Parsed a, EngineCli top, boolean pause) {
        Lifecycle lc = lifecycle(top);
        return forEach(a, r -> lc.pause(r, pause));
    }
}
