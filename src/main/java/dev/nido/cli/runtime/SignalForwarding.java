package dev.nido.cli.runtime;

import java.util.function.IntConsumer;

/**
 * Forwards the signals a foreground run receives to the container's monitor. SIGINT from a
 * terminal already reaches the whole process group, so it is only kept from killing the JVM.
 */
@SuppressWarnings("restriction")
final class SignalForwarding {
    private SignalForwarding() {
    }

    static void forward(IntConsumer to) {
        handle("TERM", 15, to);
        handle("HUP", 1, to);
        handle("INT", -1, to);
    }

    private static void handle(String name, int number, IntConsumer to) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal(name), s -> {
                if (number > 0) {
                    to.accept(number);
                }
            });
        } catch (IllegalArgumentException e) {
            // the JVM reserves this signal here; leave the default
        }
    }
}
