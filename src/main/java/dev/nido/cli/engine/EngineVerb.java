package dev.nido.cli.engine;

import dev.nido.cli.args.CommandSpec;
import dev.nido.cli.args.Parsed;

/** One {@code nido} command: its spec and what it does. */
record EngineVerb(CommandSpec spec, Action action) {
    @FunctionalInterface
    interface Action {
        int run(Parsed args, EngineCli top) throws Exception;
    }
}
