package dev.nido.cli.runtime;

import dev.nido.cli.args.CommandSpec;
import dev.nido.cli.args.Opt;
import dev.nido.cli.args.Parsed;
import dev.nido.linux.Signals;
import dev.nido.runtime.ContainerException;
import dev.nido.runtime.Create;
import dev.nido.runtime.Delete;
import dev.nido.runtime.Kill;
import dev.nido.runtime.MonitorConfig;
import dev.nido.runtime.Run;
import dev.nido.runtime.Start;

import java.util.List;

/** create, start, run, kill, delete. */
final class LifecycleVerbs {
    private LifecycleVerbs() {
    }

    static final Opt BUNDLE = Opt.value("DIR", "bundle directory", "--bundle", "-b").withDefault(".");
    static final Opt CONSOLE = Opt.value("PATH", "AF_UNIX socket that receives the pty master (process.terminal)",
            "--console-socket");
    static final Opt PID_FILE = Opt.value("PATH", "write the container process id here", "--pid-file");
    static final Opt NO_PIVOT = Opt.flag("use chroot instead of pivot_root", "--no-pivot");
    static final Opt NO_KEYRING = Opt.flag("accepted for runc compatibility (no keyring is created)", "--no-new-keyring");
    static final Opt MONITOR = Opt.value("FILE", "nido extension: the helper stays as the container's monitor"
            + " (log, attach socket, exit record), configured by this JSON file (docs/engine.md)", "--monitor");
    static final Opt PRESERVE_FDS = Opt.value("N", "extra fds to pass (only 0 is supported)", "--preserve-fds")
            .withDefault("0");

    static final Verb CREATE = new Verb(new CommandSpec("create", List.of(
            "Create a container: set it up and leave its process waiting for 'start'.", "",
            "Example:", "  nido-runtime create --bundle /srv/bundle --pid-file /run/box.pid box"),
            List.of(BUNDLE, CONSOLE, PID_FILE, NO_PIVOT, NO_KEYRING, PRESERVE_FDS, MONITOR), List.of("ID"), List.of(), null),
            LifecycleVerbs::create);

    static final Verb START = new Verb(new CommandSpec("start", List.of(
            "Start a created container's process.", "", "Example:", "  nido-runtime start box"),
            List.of(), List.of("ID"), List.of(), null),
            (a, top) -> {
                new Start(top.context()).run(a.positional(0));
                return 0;
            });

    static final Verb RUN = new Verb(new CommandSpec("run", List.of(
            "Create and start a container; in the foreground, exit with its status.", "",
            "Example:", "  nido-runtime run --bundle /srv/bundle box"),
            List.of(BUNDLE, Opt.flag("return once the process has started", "--detach", "-d"), CONSOLE, PID_FILE,
                    NO_PIVOT, NO_KEYRING, PRESERVE_FDS, Opt.flag("accepted for runc compatibility", "--keep"), MONITOR),
            List.of("ID"), List.of(), null),
            LifecycleVerbs::run);

    static final Verb KILL = new Verb(new CommandSpec("kill", List.of(
            "Send a signal (default TERM) to a container's process.", "",
            "Examples:", "  nido-runtime kill box", "  nido-runtime kill --all box KILL", "  nido-runtime kill box 9"),
            List.of(Opt.flag("signal every process in the container's cgroup", "--all", "-a")),
            List.of("ID"), List.of("SIGNAL"), null),
            (a, top) -> {
                String sig = a.positional(1) == null ? "TERM" : a.positional(1);
                new Kill(top.context()).run(a.positional(0), Signals.parse(sig), a.flag("--all"));
                return 0;
            });

    static final Verb DELETE = new Verb(new CommandSpec("delete", List.of(
            "Delete a stopped container (--force: any container).", "",
            "Example:", "  nido-runtime delete --force box"),
            List.of(Opt.flag("kill the container first if it is running", "--force", "-f")),
            List.of("ID"), List.of(), null),
            (a, top) -> {
                new Delete(top.context()).run(a.positional(0), a.flag("--force"));
                return 0;
            });

    private static int create(Parsed a, RuntimeCli top) {
        preserveFds(a);
        new Create(top.context()).run(a.positional(0), a.path("--bundle"), a.path("--console-socket"),
                a.path("--pid-file"), a.flag("--no-pivot"), top.explainSink(), monitor(a));
        return 0;
    }

    private static int run(Parsed a, RuntimeCli top) {
        preserveFds(a);
        Run run = new Run(top.context());
        boolean detach = a.flag("--detach");
        if (!detach) {
            SignalForwarding.forward(run::forward);
        }
        return run.run(a.positional(0), a.path("--bundle"), detach, a.path("--console-socket"), a.path("--pid-file"),
                a.flag("--no-pivot"), top.explainSink(), monitor(a));
    }

    private static MonitorConfig monitor(Parsed a) {
        return a.path("--monitor") == null ? null : MonitorConfig.read(a.path("--monitor"));
    }

    static void preserveFds(Parsed a) {
        if (a.intValue("--preserve-fds") != 0) {
            throw new ContainerException("--preserve-fds " + a.value("--preserve-fds")
                    + ": passing extra fds is not supported yet (use 0)");
        }
    }
}
