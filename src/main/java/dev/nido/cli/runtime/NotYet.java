package dev.nido.cli.runtime;

import dev.nido.cli.args.CommandSpec;
import dev.nido.runtime.ContainerException;

import java.util.List;

/** runc verbs of resource control, not built yet: a clear refusal, not a silent no-op. */
final class NotYet {
    private NotYet() {
    }

    static final Verb PAUSE = verb("pause", "Freeze a container's processes (not supported yet).");
    static final Verb RESUME = verb("resume", "Thaw a paused container (not supported yet).");
    static final Verb UPDATE = verb("update", "Change a container's resource limits (not supported yet).");
    static final Verb EVENTS = verb("events", "Stream a container's events and stats (not supported yet).");

    private static Verb verb(String name, String description) {
        return new Verb(new CommandSpec(name, List.of(description), List.of(), List.of(), List.of(), "ARGS"),
                (a, top) -> {
                    throw new ContainerException(name + ": not supported yet by nido-runtime (cgroup resource"
                            + " control, pause/resume and events are not implemented in this version)");
                });
    }
}
