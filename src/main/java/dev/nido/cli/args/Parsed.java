package dev.nido.cli.args;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The values of one parsed command line. */
public record Parsed(CommandSpec spec, Map<String, List<String>> values, List<String> positionals) {

    public boolean flag(String name) {
        return values.containsKey(name);
    }

    /** The option's value (last one wins), its default, or null. */
    public String value(String name) {
        List<String> v = values.get(name);
        if (v != null && !v.isEmpty()) {
            return v.getLast();
        }
        Opt o = spec.find(name);
        return o == null ? null : o.defaultValue();
    }

    public List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    public Path path(String name) {
        String v = value(name);
        return v == null ? null : Path.of(v);
    }

    public int intValue(String name) {
        String v = value(name);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new UsageException(name + " \"" + v + "\": expected a number");
        }
    }

    /** The i-th positional, or null if it was left out. */
    public String positional(int i) {
        return i < positionals.size() ? positionals.get(i) : null;
    }

    /** The positionals from index i on (a command and its arguments). */
    public List<String> restFrom(int i) {
        return i < positionals.size() ? positionals.subList(i, positionals.size()) : List.of();
    }
}
