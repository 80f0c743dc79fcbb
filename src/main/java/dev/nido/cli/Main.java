package dev.nido.cli;

import dev.nido.cli.runtime.RuntimeCli;

/**
 * Entry point of both launchers. {@code -Dnido.prog=nido-runtime} (set by bin/nido-runtime)
 * selects the runc-compatible runtime; {@code nido runtime ...} reaches the same commands.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        String prog = System.getProperty("nido.prog", "nido");
        int code;
        if (prog.equals("nido-runtime")) {
            code = RuntimeCli.execute("nido-runtime", args);
        } else if (args.length > 0 && args[0].equals("runtime")) {
            code = RuntimeCli.execute("nido runtime", java.util.Arrays.copyOfRange(args, 1, args.length));
        } else {
            code = NidoCli.execute(args);
        }
        System.out.flush();
        System.exit(code);
    }
}
