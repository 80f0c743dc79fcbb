package dev.nido.cli.runtime;

import dev.nido.runtime.Run;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "run", sortOptions = false,
        description = {"Create and start a container; in the foreground, exit with its status.", "",
                "Example:", "  nido-runtime run --bundle /srv/bundle box"})
final class RunCommand implements Callable<Integer> {
    @ParentCommand RuntimeCli top;

    @Option(names = {"--bundle", "-b"}, defaultValue = ".", description = "bundle directory (default: current directory)")
    Path bundle;

    @Option(names = {"--detach", "-d"}, description = "return once the process has started")
    boolean detach;

    @Option(names = "--console-socket", description = "AF_UNIX socket that receives the pty master")
    Path consoleSocket;

    @Option(names = "--pid-file", description = "write the container process id here")
    Path pidFile;

    @Option(names = "--no-pivot", description = "use chroot instead of pivot_root")
    boolean noPivot;

    @Option(names = "--no-new-keyring", description = "accepted for runc compatibility")
    boolean noNewKeyring;

    @Option(names = "--keep", description = "keep the container's state after it exits")
    boolean keep;

    @Option(names = "--preserve-fds", defaultValue = "0", description = "only 0 is supported")
    int preserveFds;

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Override
    public Integer call() {
        Compat.preserveFds(preserveFds);
        Run run = new Run(top.context());
        if (!detach) {
            Signals.forward(run::forward);
        }
        return run.run(id, bundle, detach, consoleSocket, pidFile, noPivot, top.explainSink());
    }
}
