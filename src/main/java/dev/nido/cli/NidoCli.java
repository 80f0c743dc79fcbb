package dev.nido.cli;

/** {@code nido}: the engine's commands ({@link dev.nido.cli.engine.EngineCli}) and {@code nido runtime …}. */
final class NidoCli {
    private NidoCli() {
    }

    /** The first argument that is not a global option (nido --root DIR images). */
    private static String firstCommand(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--root")) {
                i++;
            } else if (!args[i].startsWith("-")) {
                return args[i];
            }
        }
        return "";
    }

    static int execute(String[] args) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            return dev.nido.cli.engine.EngineCli.execute("nido", new String[] {"--help"});
        }
        if (args[0].equals("--version") || args[0].equals("-v")) {
            String v = NidoCli.class.getPackage().getImplementationVersion();
            System.out.println("nido version " + (v == null ? "0.1.0-dev" : v) + "\nOCI runtime-spec 1.2.0, image-spec 1.1");
            return 0;
        }
        if (dev.nido.cli.engine.EngineCli.knows(firstCommand(args))) {
            return dev.nido.cli.engine.EngineCli.execute("nido", args);
        }
        System.err.println("nido: unknown command \"" + args[0] + "\" (try 'nido --help'; "
                + "the runtime is 'nido runtime " + args[0] + "')");
        return 2;
    }
}
