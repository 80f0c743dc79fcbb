package dev.nido.cli.runtime;

import dev.nido.oci.Json;
import dev.nido.runtime.Inspect;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

@Command(name = "state", description = {"Print a container's state as JSON.", "", "Example:", "  nido-runtime state box"})
final class StateCommand implements Callable<Integer> {
    @ParentCommand RuntimeCli top;

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Override
    public Integer call() {
        System.out.println(new String(Json.writePretty(new Inspect(top.context()).state(id)), StandardCharsets.UTF_8));
        return 0;
    }
}
