package dev.nido.cli.runtime;

import dev.nido.runtime.Start;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "start", description = {"Start a created container's process.", "", "Example:", "  nido-runtime start box"})
final class StartCommand implements Callable<Integer> {
    @ParentCommand RuntimeCli top;

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Override
    public Integer call() {
        new Start(top.context()).run(id);
        return 0;
    }
}
