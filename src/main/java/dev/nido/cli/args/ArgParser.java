package dev.nido.cli.args;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small parser for runc-shaped command lines: {@code --name value}, {@code --name=value},
 * {@code -n value}, boolean flags, positionals, and {@code --} to end options. The runtime
 * does not use picocli for this: picocli's Java 5 class files cannot be stored in the JDK's
 * AOT cache, and parsing them cost about 250 ms of every nido-runtime start.
 */
public final class ArgParser {
    private ArgParser() {
    }

    /** Parses {@code args} (the arguments after the command name) against {@code spec}. */
    public static Parsed parse(CommandSpec spec, List<String> args) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        List<String> positionals = new ArrayList<>();
        boolean optionsDone = false;
        boolean dashDash = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--") && positionals.size() <= spec.positionals().size() && !dashDash) {
                dashDash = true; // ends options; a later "--" belongs to the command being run
                optionsDone = true;
                continue;
            }
            if (optionsDone || !a.startsWith("-") || a.equals("-")) {
                positionals.add(a);
                optionsDone |= spec.rest() != null && positionals.size() >= spec.positionals().size();
                continue;
            }
            i = option(spec, args, i, values);
        }
        check(spec, positionals, values);
        return new Parsed(spec, values, positionals);
    }

    private static int option(CommandSpec spec, List<String> args, int i, Map<String, List<String>> values) {
        String a = args.get(i);
        String name = a;
        String inline = null;
        int eq = a.indexOf('=');
        if (a.startsWith("--") && eq > 0) {
            name = a.substring(0, eq);
            inline = a.substring(eq + 1);
        }
        Opt o = spec.find(name);
        if (o == null && spec.rest() != null && spec.positionals().isEmpty() && spec.options().size() == 1) {
            return passThrough(args, i, values);
        }
        if (o == null) {
            throw new UsageException("unknown option " + name + " for '" + spec.name() + "' (see --help)");
        }
        String v = "";
        if (o.takesValue()) {
            if (inline != null) {
                v = inline;
            } else if (i + 1 < args.size()) {
                v = args.get(++i);
            } else {
                throw new UsageException("option " + name + " needs a value: " + name + " " + o.valueLabel());
            }
        } else if (inline != null) {
            v = inline; // --flag=true, as urfave/cli accepts
            if (v.equals("false")) {
                return i;
            }
        }
        List<String> list = values.computeIfAbsent(o.key(), k -> new ArrayList<>());
        if (!o.repeatable()) {
            list.clear();
        }
        list.add(v);
        return i;
    }

    /** A command that takes only free arguments keeps unknown options as they are. */
    private static int passThrough(List<String> args, int i, Map<String, List<String>> values) {
        values.computeIfAbsent("", k -> new ArrayList<>()).add(args.get(i));
        return i;
    }

    private static void check(CommandSpec spec, List<String> positionals, Map<String, List<String>> values) {
        if (values.containsKey("--help")) {
            return;
        }
        int required = spec.positionals().size();
        if (positionals.size() < required) {
            throw new UsageException("'" + spec.name() + "' needs " + String.join(" ", spec.positionals())
                    + " (missing " + spec.positionals().get(positionals.size()) + ")");
        }
        int max = required + spec.optionalPositionals().size();
        if (spec.rest() == null && positionals.size() > max) {
            throw new UsageException("'" + spec.name() + "': unexpected argument \"" + positionals.get(max) + "\"");
        }
    }
}
