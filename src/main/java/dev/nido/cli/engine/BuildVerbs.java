package dev.nido.cli.engine;

import dev.nido.cli.args.CommandSpec;
import dev.nido.cli.args.Opt;
import dev.nido.cli.args.Parsed;
import dev.nido.image.build.BuildOptions;
import dev.nido.image.build.BuildResult;
import dev.nido.image.build.Builder;
import dev.nido.image.store.Reference;
import dev.nido.image.template.TemplateRunner;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** build: an image from a Containerfile (a Dockerfile subset, docs/build.md). */
final class BuildVerbs {
    static final EngineVerb BUILD = new EngineVerb(new CommandSpec("build", List.of(
            "Build an image from a Containerfile (or Dockerfile) and a context directory; RUN steps run through"
                    + " nido-runtime. Exit status 1 when a RUN fails.", "",
            "Examples:", "  nido build -t hello:1 .",
            "  nido build -f build/Containerfile --build-arg VERSION=2 -t app:2 src/",
            "  nido build --no-cache -t hello:1 ."),
            List.of(Opt.repeated("NAME", "name the result (repeatable)", "--tag", "-t"),
                    Opt.value("FILE", "the Containerfile (default: CONTEXT/Containerfile, else CONTEXT/Dockerfile)",
                            "--file", "-f"),
                    Opt.repeated("KEY=VALUE", "a value for an ARG (repeatable)", "--build-arg"),
                    Opt.flag("run every step, ignoring the step cache", "--no-cache")),
            List.of("CONTEXT"), List.of(), null), BuildVerbs::build);

    private BuildVerbs() {
    }

    private static int build(Parsed a, EngineCli top) {
        List<Reference> tags = new ArrayList<>();
        for (String t : a.all("--tag")) {
            tags.add(Reference.parse(t));
        }
        Map<String, String> args = new LinkedHashMap<>();
        for (String kv : a.all("--build-arg")) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                String env = System.getenv(kv); // docker: --build-arg NAME takes NAME from the environment
                if (eq == 0 || env == null) {
                    throw new IllegalArgumentException("--build-arg " + kv + ": expected KEY=VALUE");
                }
                args.put(kv, env);
            } else {
                args.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        Path context = Path.of(a.positional(0)).toAbsolutePath().normalize();
        Path file = a.value("--file") == null ? null : Path.of(a.value("--file")).toAbsolutePath().normalize();
        BuildOptions opt = new BuildOptions(context, file, tags, args, a.flag("--no-cache"),
                TemplateRunner.defaultCache(dev.nido.runtime.Identity.uid(), System.getenv(),
                        System.getProperty("user.home")), System.out, null);
        BuildResult r = Builder.build(top.context().images(), opt);
        if (!r.succeeded()) {
            System.out.flush();
            System.err.println("nido: " + r.failedStep() + ": exit status " + r.exitStatus());
            return 1;
        }
        return 0;
    }
}
