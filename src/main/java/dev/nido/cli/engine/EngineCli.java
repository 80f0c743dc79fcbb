package dev.nido.cli.engine;

import dev.nido.cli.args.ArgParser;
import dev.nido.cli.args.CommandSpec;
import dev.nido.cli.args.Opt;
import dev.nido.cli.args.Parsed;
import dev.nido.cli.args.UsageException;
import dev.nido.image.ImageException;
import dev.nido.oci.SpecException;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code nido}: the engine's command line, shaped like Docker's and Podman's. Exit codes as
 * Docker's: 125 when nido itself fails, 2 for a usage error, otherwise the command's.
 */
public final class EngineCli {
    static final int ENGINE_ERROR = 125;
    static final CommandSpec GLOBAL = new CommandSpec("", List.of(
            "nido: containers, images and networks on Linux, without a daemon.", "",
            "Examples:", "  nido images", "  nido image create --template busybox busybox",
            "  nido runtime run --bundle ./bundle box   (the runc-compatible runtime)"),
            List.of(Opt.value("DIR", "engine data (default: /var/lib/nido; NIDO_ROOT)", "--root"),
                    Opt.flag("log stack traces of errors", "--debug"),
                    Opt.flag("print each kernel operation as the equivalent shell command, then do it", "--explain"),
                    Opt.flag("print the version", "--version", "-v")),
            List.of(), List.of(), "COMMAND");

    static final Map<String, EngineVerb> VERBS = new LinkedHashMap<>();

    static {
        for (EngineVerb v : ContainerVerbs.ALL) {
            VERBS.put(v.spec().name(), v);
        }
        for (EngineVerb v : ProcessVerbs.ALL) {
            VERBS.put(v.spec().name(), v);
        }
        for (EngineVerb v : UsageVerbs.ALL) {
            VERBS.put(v.spec().name(), v);
        }
        VERBS.put(ConfigVerbs.CONFIG.spec().name(), ConfigVerbs.CONFIG);
        for (EngineVerb v : ImageVerbs.ALL) {
            VERBS.put(v.spec().name(), v);
        }
        for (EngineVerb v : RegistryVerbs.ALL) {
            VERBS.put(v.spec().name(), v);
        }
        for (EngineVerb v : ArchiveVerbs.ALL) {
            VERBS.put(v.spec().name(), v);
        }
        VERBS.put(TemplateVerbs.CREATE.spec().name(), TemplateVerbs.CREATE);
        VERBS.put(MountVerbs.MOUNT.spec().name(), MountVerbs.MOUNT);
        VERBS.put(SystemVerbs.CHECK.spec().name(), SystemVerbs.CHECK);
        VERBS.put(MountVerbs.UNMOUNT.spec().name(), MountVerbs.UNMOUNT);
        VERBS.put(TemplateVerbs.LS.spec().name(), TemplateVerbs.LS);
        VERBS.put(BuildVerbs.BUILD.spec().name(), BuildVerbs.BUILD);
    }

    private final String prog;
    private Parsed global;
    private EngineContext context;

    private EngineCli(String prog) {
        this.prog = prog;
    }

    public static int execute(String prog, String[] argv) {
        EngineCli cli = new EngineCli(prog);
        try {
            return cli.dispatch(List.of(argv));
        } catch (UsageException e) {
            System.err.println(prog + ": " + e.getMessage());
            System.err.println("Try '" + prog + " --help' for usage.");
            return 2;
        } catch (Exception e) {
            return cli.fail(e);
        }
    }

    /** Whether {@code name} is an engine command (the rest of {@code nido} is handled elsewhere). */
    public static boolean knows(String name) {
        return VERBS.containsKey(name) || name.equals("image") || name.equals("template") || name.equals("system")
                || name.equals("container");
    }

    private int dispatch(List<String> argv) throws Exception {
        global = ArgParser.parse(GLOBAL, argv);
        String name = global.positional(0);
        if (global.flag("--help") || name == null || name.equals("help") && global.positional(1) == null) {
            System.out.print(usage());
            return 0;
        }
        List<String> rest = global.restFrom(1);
        if (name.equals("image") || name.equals("template") || name.equals("system") || name.equals("container")) { // "nido image ls" = "nido images" ...
            String sub = rest.isEmpty() ? "--help" : rest.getFirst();
            String group = name;
            name = switch (sub) {
                case "ls", "list" -> switch (group) {
                    case "image" -> "images";
                    case "container" -> "ps";
                    default -> group + "-ls";
                };
                case "--help", "-h" -> "help";
                default -> group.equals("container") && !VERBS.containsKey(group + "-" + sub) && VERBS.containsKey(sub)
                        ? sub : group + "-" + sub; // nido container stop = nido stop
            };
            if (name.equals("help")) {
                System.out.print(usage());
                return 0;
            }
            rest = rest.subList(1, rest.size());
        }
        if (name.equals("help")) {
            name = global.positional(1);
            rest = List.of("--help");
        }
        EngineVerb verb = VERBS.get(name);
        if (verb == null) {
            throw new UsageException("unknown command \"" + name + "\"");
        }
        Parsed args = ArgParser.parse(verb.spec(), rest);
        if (args.flag("--help")) {
            System.out.print(verb.spec().usage(prog));
            return 0;
        }
        return verb.action().run(args, this);
    }

    private String usage() {
        StringBuilder s = new StringBuilder(GLOBAL.usage(prog).replace(prog + "  [OPTIONS]", prog + " [OPTIONS]"));
        s.append("\nCommands:\n");
        VERBS.values().forEach(v -> s.append(String.format("  %-14s %s%n", v.spec().name().replace('-', ' '),
                v.spec().description().getFirst())));
        s.append(String.format("  %-14s %s%n", "runtime", "the runc-compatible OCI runtime (nido runtime --help)"));
        s.append("\nRun '").append(prog).append(" COMMAND --help' for a command's options.\n");
        return s.toString();
    }

    EngineContext context() {
        if (context == null) {
            Path root = global.path("--root");
            if (root == null) {
                root = EngineContext.defaultRoot(dev.nido.runtime.Identity.uid(), System.getenv(),
                        System.getProperty("user.home"));
            }
            context = new EngineContext(root);
        }
        return context;
    }

    /** The kernel, printing every operation as a shell command first with --explain. */
    dev.nido.linux.Syscalls sys() {
        dev.nido.linux.Syscalls real = dev.nido.linux.Syscalls.real();
        return explain() ? new dev.nido.linux.ExplainingSyscalls(real, line -> System.err.println("+ " + line)) : real;
    }

    boolean explain() {
        return global != null && global.flag("--explain");
    }

    private int fail(Exception ex) {
        String msg = switch (ex) {
            case ImageException e -> e.getMessage();
            case SpecException e -> e.getMessage();
            case dev.nido.runtime.ContainerException e -> e.getMessage();
            case dev.nido.engine.EngineException e -> e.getMessage();
            case dev.nido.linux.LinuxException e -> e.getMessage();
            case IllegalArgumentException e -> e.getMessage();
            case java.nio.file.NoSuchFileException e -> e.getFile() + ": no such file or directory";
            case java.io.IOException e -> e.getMessage();
            default -> "internal error: " + ex;
        };
        System.err.println(prog + ": " + msg);
        if (global != null && global.flag("--debug")) {
            ex.printStackTrace();
        }
        return ex instanceof dev.nido.engine.EngineException e ? e.exitCode() : ENGINE_ERROR;
    }
}
