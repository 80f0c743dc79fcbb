package dev.nido.cli.runtime;

import dev.nido.cli.args.CommandSpec;
import dev.nido.cli.args.Opt;
import dev.nido.cli.args.Parsed;
import dev.nido.oci.DefaultSpec;
import dev.nido.oci.Features;
import dev.nido.oci.Json;
import dev.nido.oci.SpecReader;
import dev.nido.runtime.ContainerException;
import dev.nido.runtime.Inspect;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** state, list, ps, spec, features. */
final class QueryVerbs {
    private QueryVerbs() {
    }

    static final Opt FORMAT = Opt.value("FORMAT", "table or json", "--format", "-f").withDefault("table");

    static final Verb STATE = new Verb(new CommandSpec("state", List.of(
            "Print a container's state as JSON.", "", "Example:", "  nido-runtime state box"),
            List.of(), List.of("ID"), List.of(), null),
            (a, top) -> {
                print(Json.writePretty(new Inspect(top.context()).state(a.positional(0))));
                return 0;
            });

    static final Verb LIST = new Verb(new CommandSpec("list", List.of(
            "List containers.", "", "Example:", "  nido-runtime list --format json"),
            List.of(FORMAT, Opt.flag("print only the ids", "--quiet", "-q")), List.of(), List.of(), null),
            QueryVerbs::list);

    static final Verb PS = new Verb(new CommandSpec("ps", List.of(
            "Show the processes running in a container (ps(1) options after the id).", "",
            "Examples:", "  nido-runtime ps box", "  nido-runtime ps --format json box",
            "  nido-runtime ps box -o pid,comm"),
            List.of(FORMAT), List.of("ID"), List.of(), "PS_OPTION"),
            QueryVerbs::ps);

    static final Verb SPEC = new Verb(new CommandSpec("spec", List.of(
            "Write a default config.json (as 'runc spec' does), with Docker's default capabilities and",
            "a Docker-style seccomp profile for this machine's architecture.", "",
            "Example:", "  mkdir -p bundle/rootfs && nido-runtime spec --bundle bundle"),
            List.of(LifecycleVerbs.BUNDLE, Opt.flag("a spec for a container run by a non-root user", "--rootless")),
            List.of(), List.of(), null),
            QueryVerbs::spec);

    static final Verb FEATURES = new Verb(new CommandSpec("features", List.of(
            "Print what this runtime supports (runtime-spec features.md).", "", "Example:", "  nido-runtime features"),
            List.of(), List.of(), List.of(), null),
            (a, top) -> {
                print(Json.writePretty(Features.current()));
                return 0;
            });

    private static void print(byte[] json) {
        System.out.println(new String(json, StandardCharsets.UTF_8));
    }

    private static int list(Parsed a, RuntimeCli top) {
        List<Map<String, Object>> states = new Inspect(top.context()).list();
        String format = a.value("--format");
        if (a.flag("--quiet")) {
            states.forEach(s -> System.out.println(s.get("id")));
        } else if (format.equals("json")) {
            print(Json.writeCompact(states));
        } else if (format.equals("table")) {
            String fmt = "%-12s %-8s %-10s %-40s %-31s %s%n";
            System.out.printf(fmt, "ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER");
            for (Map<String, Object> s : states) {
                System.out.printf(fmt, s.get("id"), s.get("pid"), s.get("status"), s.get("bundle"), s.get("created"),
                        s.get("owner"));
            }
        } else {
            throw new IllegalArgumentException("--format \"" + format + "\": expected table or json");
        }
        return 0;
    }

    private static int ps(Parsed a, RuntimeCli top) throws IOException, InterruptedException {
        List<Integer> pids = new Inspect(top.context()).pids(a.positional(0));
        String format = a.value("--format");
        if (format.equals("json")) {
            print(Json.writeCompact(pids));
            return 0;
        }
        if (!format.equals("table")) {
            throw new IllegalArgumentException("--format \"" + format + "\": expected table or json");
        }
        List<String> cmd = new ArrayList<>(List.of("ps"));
        List<String> opts = a.restFrom(1);
        cmd.addAll(opts.isEmpty() ? List.of("-ef") : opts);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        if (p.waitFor() != 0 || lines.isEmpty()) {
            throw new ContainerException("ps " + String.join(" ", cmd.subList(1, cmd.size())) + " failed: "
                    + String.join(" ", lines));
        }
        int col = List.of(lines.getFirst().trim().split("\\s+")).indexOf("PID");
        if (col < 0) {
            throw new ContainerException("ps output has no PID column (add -o pid,... to the ps options)");
        }
        Set<String> wanted = new HashSet<>(pids.stream().map(String::valueOf).toList());
        System.out.println(lines.getFirst());
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.trim().split("\\s+");
            if (f.length > col && wanted.contains(f[col])) {
                System.out.println(l);
            }
        }
        return 0;
    }

    private static int spec(Parsed a, RuntimeCli top) throws IOException {
        Path f = a.path("--bundle").resolve("config.json");
        long uid = ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
        long gid = ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:gid")).longValue();
        byte[] json = SpecReader.write(dev.nido.security.DefaultConfinement.withDefaultSeccomp(
                DefaultSpec.create(a.flag("--rootless"), uid, gid)));
        try {
            Files.write(f, json, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
            throw new ContainerException("File " + f + " exists. Remove it first");
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ContainerException("spec: bundle directory " + a.path("--bundle") + " does not exist");
        }
        return 0;
    }
}
