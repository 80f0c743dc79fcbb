package dev.nido.cli.runtime;

import dev.nido.oci.Features;
import dev.nido.oci.Json;
import picocli.CommandLine.Command;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

@Command(name = "features", description = {"Print what this runtime supports (runtime-spec features.md).", "",
        "Example:", "  nido-runtime features"})
final class FeaturesCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.println(new String(Json.writePretty(Features.current()), StandardCharsets.UTF_8));
        return 0;
    }
}
