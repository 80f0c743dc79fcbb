package dev.nido.image.build;

import dev.nido.image.store.Reference;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What {@code nido build} was asked.
 *
 * @param context       the build context directory
 * @param file          the Containerfile (null: CONTEXT/Containerfile, else CONTEXT/Dockerfile)
 * @param tags          names for the result
 * @param buildArgs     {@code --build-arg} values
 * @param noCache       whether to ignore the step cache (results are still recorded)
 * @param templateCache the template cache root, for {@code FROM template:NAME}
 * @param out           progress and the output of RUN steps
 * @param runtime       the nido-runtime launcher, or null to find it ({@link RuntimeLauncher})
 */
public record BuildOptions(Path context, Path file, List<Reference> tags, Map<String, String> buildArgs,
                           boolean noCache, Path templateCache, PrintStream out, Path runtime) {
    public BuildOptions {
        tags = List.copyOf(tags);
        buildArgs = Map.copyOf(buildArgs);
    }
}
