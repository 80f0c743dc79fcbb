package dev.nido.cli.runtime;

import dev.nido.runtime.ContainerException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

import java.util.List;
import java.util.concurrent.Callable;

/** runc verbs that belong to resource control, which is not built yet: a clear refusal, not a silent no-op. */
abstract class NotYetCommand implements Callable<Integer> {
    @Unmatched
    List<String> rest;

    abstract String verb();

    @Override
    public Integer call() {
        throw new ContainerException(verb() + ": not supported yet by nido-runtime (cgroup resource control,"
                + " pause/resume and events are not implemented in this version)");
    }

    @Command(name = "pause", description = "Freeze a container (not supported yet).")
    static final class Pause extends NotYetCommand {
        String verb() { return "pause"; }
    }

    @Command(name = "resume", description = "Thaw a container (not supported yet).")
    static final class Resume extends NotYetCommand {
        String verb() { return "resume"; }
    }

    @Command(name = "update", description = "Change resource limits (not supported yet).")
    static final class Update extends NotYetCommand {
        String verb() { return "update"; }
    }

    @Command(name = "events", description = "Stream container events and stats (not supported yet).")
    static final class Events extends NotYetCommand {
        String verb() { return "events"; }
    }
}
