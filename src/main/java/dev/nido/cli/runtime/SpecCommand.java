package dev.nido.cli.runtime;

import dev.nido.oci.DefaultSpec;
import dev.nido.oci.SpecReader;
import dev.nido.runtime.ContainerException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Callable;

@Command(name = "spec", description = {"Write a default config.json (as 'runc spec' does).", "",
        "Example:", "  mkdir -p bundle/rootfs && nido-runtime spec --bundle bundle"})
final class SpecCommand implements Callable<Integer> {
    @ParentCommand RuntimeCli top;

    @Option(names = {"--bundle", "-b"}, defaultValue = ".", description = "where to write config.json")
    Path bundle;

    @Option(names = "--rootless", description = "a spec for a container run by a non-root user")
    boolean rootless;

    @Override
    public Integer call() throws IOException {
        Path f = bundle.resolve("config.json");
        long uid = ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
        long gid = ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:gid")).longValue();
        byte[] json = SpecReader.write(DefaultSpec.create(rootless, uid, gid));
        try {
            Files.write(f, json, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
            throw new ContainerException("File " + f + " exists. Remove it first");
        }
        return 0;
    }
}
