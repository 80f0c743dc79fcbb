package dev.nido.cli.runtime;

import dev.nido.cgroup.CgroupException;
import dev.nido.cli.args.ArgParser;
import dev.nido.cli.args.CommandSpec;
import dev.nido.cli.args.Opt;
import dev.nido.cli.args.Parsed;
import dev.nido.cli.args.UsageException;
import dev.nido.linux.ExplainingSyscalls;
import dev.nido.linux.LinuxException;
import dev.nido.linux.Syscalls;
import dev.nido.oci.SpecException;
import dev.nido.runtime.ContainerException;
import dev.nido.runtime.RuntimeContext;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** {@code nido-runtime}: the runc-compatible command line. */
public final class RuntimeCli {
    static final CommandSpec GLOBAL = new CommandSpec("", List.of(
            "An OCI runtime-spec runtime with runc's command line.", "",
            "Example:", "  mkdir -p box/rootfs && cd box && nido-runtime spec && nido-runtime run demo"),
            List.of(Opt.value("DIR", "state directory (default: /run/nido, or $XDG_RUNTIME_DIR/nido for a non-root user)", "--root"),
                    Opt.value("FILE", "write log lines to FILE (default: stderr)", "--log"),
                    Opt.value("FORMAT", "log format: text or json", "--log-format").withDefault("text"),
                    Opt.flag("log debug information and stack traces", "--debug"),
                    Opt.flag("manage cgroups through systemd (not supported: nido uses cgroupfs)", "--systemd-cgroup"),
                    Opt.flag("print each kernel operation as the equivalent shell command", "--explain"),
                    Opt.flag("print the version", "--version", "-v"),
                    Opt.value("VALUE", "ignored (runc compatibility)", "--rootless").hide(),
                    Opt.value("PATH", "ignored (runc compatibility)", "--criu").hide()),
            List.of(), List.of(), "COMMAND");

    static final Map<String, Verb> VERBS = new LinkedHashMap<>();
    /** Verbs that reach the kernel through FFM: their native calls are linked in the background. */
    private static final java.util.Set<String> KERNEL_VERBS = java.util.Set.of("create", "start", "run", "kill",
            "delete", "exec", "update", "pause", "resume");

    static {
        for (Verb v : List.of(LifecycleVerbs.CREATE, LifecycleVerbs.START, LifecycleVerbs.RUN, QueryVerbs.STATE,
                LifecycleVerbs.KILL, LifecycleVerbs.DELETE, QueryVerbs.LIST, QueryVerbs.PS, ExecVerb.EXEC,
                QueryVerbs.SPEC, QueryVerbs.FEATURES, ResourceVerbs.UPDATE, ResourceVerbs.PAUSE, ResourceVerbs.RESUME, ResourceVerbs.EVENTS)) {
            VERBS.put(v.spec().name(), v);
        }
    }

    final String prog;
    Parsed global;
    RuntimeLog logger;
    private RuntimeContext context;

    private RuntimeCli(String prog) {
        this.prog = prog;
    }

    public static int execute(String prog, String[] argv) {
        RuntimeCli cli = new RuntimeCli(prog);
        try {
            return cli.dispatch(List.of(argv));
        } catch (UsageException e) {
            System.err.println(prog + ": " + e.getMessage());
            System.err.println("Try '" + prog + " --help' for usage.");
            return 2;
        } catch (Exception e) {
            return cli.fail(e);
        }
    }

    private int dispatch(List<String> argv) throws Exception {
        global = ArgParser.parse(GLOBAL, argv);
        logger = new RuntimeLog(global.path("--log"), global.value("--log-format"), global.flag("--debug"));
        if (global.flag("--version")) {
            System.out.println("nido-runtime version " + version() + "\nspec: 1.2.0");
            return 0;
        }
        String name = global.positional(0);
        if (global.flag("--help") || name == null || name.equals("help") && global.positional(1) == null) {
            System.out.print(usage());
            return 0;
        }
        if (name.equals("help")) {
            return help(global.positional(1));
        }
        Verb verb = VERBS.get(name);
        if (verb == null) {
            throw new UsageException("unknown command \"" + name + "\"");
        }
        if (KERNEL_VERBS.contains(name)) {
            Syscalls.warmUpInBackground();
        }
        Parsed args = ArgParser.parse(verb.spec(), global.restFrom(1));
        if (args.flag("--help")) {
            System.out.print(verb.spec().usage(prog));
            return 0;
        }
        dev.nido.runtime.PhaseTrace.mark("arguments parsed");
        return verb.action().run(args, this);
    }

    private int help(String name) {
        Verb v = VERBS.get(name);
        if (v == null) {
            throw new UsageException("unknown command \"" + name + "\"");
        }
        System.out.print(v.spec().usage(prog));
        return 0;
    }

    private String usage() {
        StringBuilder s = new StringBuilder(GLOBAL.usage(prog).replace(prog + "  [OPTIONS]", prog + " [OPTIONS]"));
        s.append("\nCommands:\n");
        VERBS.values().forEach(v -> s.append(String.format("  %-10s %s%n", v.spec().name(), v.spec().description().getFirst())));
        s.append("\nRun '").append(prog).append(" COMMAND --help' for a command's options.\n");
        return s.toString();
    }

    static String version() {
        String v = RuntimeCli.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-dev" : v;
    }

    /** The context for the command, built once. */
    RuntimeContext context() {
        if (global.flag("--systemd-cgroup")) {
            throw new ContainerException("--systemd-cgroup: not supported, nido manages cgroups through cgroupfs"
                    + " (drop the flag, or set the engine's cgroup manager to cgroupfs)");
        }
        if (context == null) {
            Syscalls sys = Syscalls.real();
            Consumer<String> explain = explainSink();
            if (explain != null) {
                sys = new ExplainingSyscalls(sys, explain);
            }
            Path root = global.path("--root");
            context = new RuntimeContext(sys, root != null ? root : dev.nido.runtime.StateRoot.defaultRoot(), logger::warn);
        }
        return context;
    }

    Consumer<String> explainSink() {
        return global.flag("--explain") ? line -> System.err.println("+ " + line) : null;
    }

    /** Prints an error as one line (and the trace with --debug); exit status 1. */
    int fail(Exception ex) {
        RuntimeLog l = logger == null ? new RuntimeLog(null, "text", false) : logger;
        String msg = switch (ex) {
            case ContainerException e -> e.getMessage();
            case SpecException e -> e.getMessage();
            case CgroupException e -> e.getMessage();
            case LinuxException e -> e.getMessage();
            case IllegalArgumentException e -> e.getMessage();
            case java.nio.file.NoSuchFileException e -> e.getFile() + ": no such file or directory";
            case java.io.IOException e -> e.getMessage();
            default -> "internal error: " + ex;
        };
        l.error(msg, ex);
        return 1;
    }

    static Path pathOrNull(String s) {
        return s == null ? null : Path.of(s);
    }
}
