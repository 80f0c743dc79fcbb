package dev.nido.cli.engine;

import dev.nido.cli.args.CommandSpec;
import dev.nido.cli.args.Opt;
import dev.nido.cli.args.Parsed;
import dev.nido.image.check.Findings;
import dev.nido.image.check.StoreCheck;
import dev.nido.linux.Syscalls;

import java.util.List;

/** system check. */
final class SystemVerbs {
    static final EngineVerb CHECK = new EngineVerb(new CommandSpec("system-check", List.of(
            "Look for what a crash or a damaged disk left in the store; with --repair, remove it.", "",
            "Examples:", "  nido system check", "  nido system check --repair"),
            List.of(Opt.flag("remove what is found (partial downloads, half-unpacked layers, corrupt blobs,"
                    + " names whose blobs are gone, stale mounts, containers whose monitor or init died)", "--repair")),
            List.of(), List.of(), null), SystemVerbs::check);

    private SystemVerbs() {
    }

    private static int check(Parsed a, EngineCli top) {
        boolean repair = a.flag("--repair");
        List<Findings.Problem> found = new java.util.ArrayList<>(StoreCheck.run(top.context().images(),
                Syscalls.real(), repair));
        found.addAll(dev.nido.engine.ContainerCheck.run(top.context().images(),
                new dev.nido.engine.Containers(top.context().root()), Syscalls.real(), repair));
        for (Findings.Problem p : found) {
            System.out.println((p.repaired() ? "repaired: " : "found: ") + p.what() + "  [" + p.path() + "]");
        }
        long open = found.stream().filter(p -> !p.repaired()).count();
        System.out.println(found.isEmpty() ? "the store " + top.context().root() + " is consistent"
                : found.size() + " problem(s)" + (repair ? ", " + (found.size() - open) + " repaired" : "")
                + (open > 0 && !repair ? "; run nido system check --repair" : ""));
        return open > 0 ? 1 : 0;
    }
}
