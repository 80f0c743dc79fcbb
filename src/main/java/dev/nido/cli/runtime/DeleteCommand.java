package dev.nido.cli.runtime;

import dev.nido.runtime.Delete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "delete", description = {"Delete a stopped container (--force: any container).", "",
        "Example:", "  nido-runtime delete --force box"})
final class DeleteCommand implements Callable<Integer> {
    @ParentCommand RuntimeCli top;

    @Option(names = {"--force", "-f"}, description = "kill the container first if it is running")
    boolean force;

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Override
    public Integer call() {
        new Delete(top.context()).run(id, force);
        return 0;
    }
}
