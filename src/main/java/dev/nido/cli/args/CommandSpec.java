package dev.nido.cli.args;

import java.util.ArrayList;
import java.util.List;

/**
 * A command's options and positional parameters, and its help text.
 *
 * @param positionals names of the required positionals ("ID"), in order
 * @param rest        name of the trailing list ("COMMAND"), or null; when set, option parsing
 *                    stops at the first positional, so the rest may hold its own flags (exec)
 * @param optionalPositionals names of positionals that may be left out, after the required ones
 */
public record CommandSpec(String name, List<String> description, List<Opt> options, List<String> positionals,
                          List<String> optionalPositionals, String rest) {
    public CommandSpec {
        description = List.copyOf(description);
        options = new ArrayList<>(options);
        options.add(Opt.flag("show this help", "--help", "-h"));
        options = List.copyOf(options);
        positionals = List.copyOf(positionals);
        optionalPositionals = List.copyOf(optionalPositionals);
    }

    Opt find(String name) {
        for (Opt o : options) {
            if (o.names().contains(name)) {
                return o;
            }
        }
        return null;
    }

    /** The help text: usage line, description, options. */
    public String usage(String prog) {
        StringBuilder s = new StringBuilder("Usage: ").append(prog).append(' ').append(name).append(" [OPTIONS]");
        positionals.forEach(p -> s.append(' ').append(p));
        optionalPositionals.forEach(p -> s.append(" [").append(p).append(']'));
        if (rest != null) {
            s.append(" [").append(rest).append("...]");
        }
        s.append("\n\n");
        description.forEach(d -> s.append(d).append('\n'));
        s.append("\nOptions:\n");
        for (Opt o : options) {
            if (o.hidden()) {
                continue;
            }
            String left = String.join(", ", o.names()) + (o.takesValue() ? " " + o.valueLabel() : "");
            String def = o.defaultValue() != null && !o.defaultValue().isEmpty() ? " (default: " + o.defaultValue() + ")" : "";
            s.append(String.format("  %-28s %s%s%n", left, o.help(), def));
        }
        return s.toString();
    }
}
