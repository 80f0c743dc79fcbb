package dev.nido.cli.runtime;

import dev.nido.cli.args.CommandSpec;
import dev.nido.cli.args.Parsed;

/** One runtime command: its spec and what it does. */
record Verb(CommandSpec spec, Action action) {
    @FunctionalInterface
    interface Action {
        int run(Parsed args, RuntimeCli top) throws Exception;
    }
}
