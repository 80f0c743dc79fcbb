package dev.nido.cli.runtime;

import dev.nido.runtime.Create;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "create", sortOptions = false,
        description = {"Create a container: set it up and leave its process waiting for 'start'.", "",
                "Example:", "  nido-runtime create --bundle /srv/bundle --pid-file /run/box.pid box"})
final class CreateCommand implements Callable<Integer> {
    @ParentCommand RuntimeCli top;

    @Option(names = {"--bundle", "-b"}, description = "bundle directory (default: current directory)", defaultValue = ".")
    Path bundle;

    @Option(names = "--console-socket", description = "AF_UNIX socket that receives the pty master (process.terminal)")
    Path consoleSocket;

    @Option(names = "--pid-file", description = "write the container process id here")
    Path pidFile;

    @Option(names = "--no-pivot", description = "use chroot instead of pivot_root")
    boolean noPivot;

    @Option(names = "--no-new-keyring", description = "accepted for runc compatibility (no keyring is created)")
    boolean noNewKeyring;

    @Option(names = "--preserve-fds", description = "accepted for runc compatibility; only 0 is supported", defaultValue = "0")
    int preserveFds;

    @Parameters(index = "0", paramLabel = "ID", description = "container id")
    String id;

    @Override
    public Integer call() {
        Compat.preserveFds(preserveFds);
        new Create(top.context()).run(id, bundle, consoleSocket, pidFile, noPivot, top.explainSink());
        return 0;
    }
}
