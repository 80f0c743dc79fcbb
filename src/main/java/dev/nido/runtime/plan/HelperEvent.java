package dev.nido.runtime.plan;

/** What the C helper reports on its event pipe (docs/plan-format.md, "Events"). */
public sealed interface HelperEvent {
    record Pid(int pid) implements HelperEvent {
    }

    record Ready() implements HelperEvent {
    }

    record Error(int index, int opcode, int errno, String path, String message) implements HelperEvent {
    }

    record Exit(int status) implements HelperEvent {
    }
}
