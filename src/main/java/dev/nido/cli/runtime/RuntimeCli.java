package dev.nido.cli.runtime;

import dev.nido.cgroup.CgroupException;
import dev.nido.linux.ExplainingSyscalls;
import dev.nido.linux.LinuxException;
import dev.nido.linux.Syscalls;
import dev.nido.oci.SpecException;
import dev.nido.runtime.ContainerException;
import dev.nido.runtime.RuntimeContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code nido-runtime}: the runc-compatible command line. */
@Command(name = "nido-runtime", mixinStandardHelpOptions = true, versionProvider = Version.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {"An OCI runtime-spec runtime with runc's command line.", "",
                "Example:", "  mkdir -p b/rootfs && cd b && nido-runtime spec && nido-runtime run demo"},
        subcommands = {CreateCommand.class, StartCommand.class, RunCommand.class, StateCommand.class,
                KillCommand.class, DeleteCommand.class, ListCommand.class, PsCommand.class, ExecCommand.class,
                SpecCommand.class, FeaturesCommand.class, NotYetCommand.Pause.class, NotYetCommand.Resume.class,
                NotYetCommand.Update.class, NotYetCommand.Events.class, CommandLine.HelpCommand.class})
public final class RuntimeCli implements Callable<Integer> {

    @Option(names = "--root", description = "state directory (default: ${DEFAULT-VALUE})", defaultValue = "/run/nido")
    Path root;

    @Option(names = "--log", description = "write log lines to this file (default: stderr)")
    Path log;

    @Option(names = "--log-format", description = "text or json (default: ${DEFAULT-VALUE})", defaultValue = "text")
    String logFormat;

    @Option(names = "--debug", description = "log debug information and stack traces")
    boolean debug;

    @Option(names = "--systemd-cgroup", description = "manage cgroups through systemd (not supported: nido uses cgroupfs)")
    boolean systemdCgroup;

    @Option(names = "--explain", description = "print each kernel operation as the equivalent shell command")
    boolean explain;

    @Option(names = "--rootless", description = "ignored (runc compatibility)", hidden = true)
    String rootless;

    @Option(names = "--criu", description = "ignored (runc compatibility)", hidden = true)
    String criu;

    RuntimeLog logger;
    private RuntimeContext context;

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.out);
        return 0;
    }

    /** The context for a command, built once. */
    RuntimeContext context() {
        if (systemdCgroup) {
            throw new ContainerException("--systemd-cgroup: not supported, nido manages cgroups through cgroupfs"
                    + " (drop the flag, or set the engine's cgroup manager to cgroupfs)");
        }
        if (context == null) {
            Syscalls sys = Syscalls.real();
            if (explain) {
                sys = new ExplainingSyscalls(sys, line -> System.err.println("+ " + line));
            }
            context = new RuntimeContext(sys, root, logger::warn);
        }
        return context;
    }

    java.util.function.Consumer<String> explainSink() {
        return explain ? line -> System.err.println("+ " + line) : null;
    }

    public static int execute(String prog, String[] args) {
        RuntimeCli top = new RuntimeCli();
        CommandLine cl = new CommandLine(top);
        cl.setCommandName(prog);
        cl.setExecutionStrategy(pr -> {
            top.logger = new RuntimeLog(top.log, top.logFormat, top.debug);
            return new CommandLine.RunLast().execute(pr);
        });
        cl.setExecutionExceptionHandler((ex, cmd, pr) -> top.fail(ex));
        cl.setParameterExceptionHandler((ex, a) -> {
            System.err.println(prog + ": " + ex.getMessage());
            System.err.println("Try '" + prog + " --help' for usage.");
            return 2;
        });
        return cl.execute(args);
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
            default -> "internal error: " + ex;
        };
        l.error(msg, ex);
        return 1;
    }
}
