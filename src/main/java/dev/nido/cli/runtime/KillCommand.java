package dev.nido.cli.runtime;

import dev.nido.linux.Signals;
import dev.nido.runtime.Kill;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "kill", description = {"Send a signal (default TERM) to a container's process.", "",
        "Examples:", "  nido-runtime kill box", "  nido-runtime kill --all box KILL", "  nido-runtime kill box 9"})
final class KillCommand implements Callable<Integer> {
    @ParentCommand RuntimeCli top;

    @Option(names = {"--all", "-a"}, description = "signal every process in the container's cgroup")
    boolean all;

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Parameters(index = "1", paramLabel = "SIGNAL", defaultValue = "TERM", description = "name (TERM, SIGTERM) or number")
    String signal;

    @Override
    public Integer call() {
        new Kill(top.context()).run(id, Signals.parse(signal), all);
        return 0;
    }
}
