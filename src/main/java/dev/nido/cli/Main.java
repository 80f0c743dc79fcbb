package dev.nido.cli;

import dev.nido.cli.runtime.RuntimeCli;
import dev.nido.linux.Syscalls;

/**
 * Entry point of both launchers. {@code -Dnido.prog=nido-runtime} (set by bin/nido-runtime)
 * selects the runc-compatible runtime; {@code nido runtime ...} reaches the same commands.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        dev.nido.runtime.PhaseTrace.mark("main");
        String prog = System.getProperty("nido.prog", "nido");
        if (prog.equals("nido-runtime") && mayReachKernel(args)) {
            Syscalls.warmUpInBackground(); // before anything else: the link is the longest step of a start
        }
        int code;
        String train = System.getProperty("nido.aot.more");
        if (train != null) {
            // scripts/aot-train.sh: one training JVM runs a runtime command, then more runtime and engine
            // commands ("runtime ARGS" or "nido ARGS", separated by ';'), so that the AOT cache holds
            // the classes of all of them
            code = RuntimeCli.execute("nido-runtime", args);
            for (String cmd : train.split(";")) {
                String[] w = cmd.strip().split(" ");
                String[] rest = java.util.Arrays.copyOfRange(w, 1, w.length);
                code |= w[0].equals("runtime") ? RuntimeCli.execute("nido-runtime", rest) : NidoCli.execute(rest);
            }
        } else if (prog.equals("nido-runtime")) {
            code = RuntimeCli.execute("nido-runtime", args);
        } else if (args.length > 0 && args[0].equals("runtime")) {
            code = RuntimeCli.execute("nido runtime", java.util.Arrays.copyOfRange(args, 1, args.length));
        } else {
            code = NidoCli.execute(args);
        }
        System.out.flush();
        System.err.flush();
        dev.nido.runtime.PhaseTrace.mark("exit");
        // halt, not System.exit: nido registers no shutdown hooks, and System.exit first asks
        // for the "java.lang.Runtime" System.Logger (exit logging, JDK 21+), whose first use
        // looks for a logging backend through ServiceLoader: 5 ms or more of every command.
        Runtime.getRuntime().halt(code);
    }

    /**
     * Whether an argument names a verb that calls the kernel through FFM (RuntimeCli checks the
     * parsed verb again; an id that happens to be such a word only costs an unneeded link).
     */
    private static boolean mayReachKernel(String[] args) {
        for (String a : args) {
            switch (a) {
                case "create", "start", "run", "kill", "delete", "exec" -> {
                    return true;
                }
                default -> {
                }
            }
        }
        return false;
    }
}
