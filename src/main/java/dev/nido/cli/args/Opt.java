package dev.nido.cli.args;

import java.util.List;

/**
 * One option of a command: its names ("--bundle", "-b"), whether it takes a value, whether it
 * may repeat, its default and its help line.
 */
public record Opt(List<String> names, String valueLabel, boolean repeatable, String defaultValue, String help,
                  boolean hidden) {
    public Opt {
        names = List.copyOf(names);
    }

    /** A boolean flag. */
    public static Opt flag(String help, String... names) {
        return new Opt(List.of(names), null, false, null, help, false);
    }

    /** An option with a value. */
    public static Opt value(String label, String help, String... names) {
        return new Opt(List.of(names), label, false, null, help, false);
    }

    /** A repeatable option with a value. */
    public static Opt repeated(String label, String help, String... names) {
        return new Opt(List.of(names), label, true, null, help, false);
    }

    public Opt withDefault(String value) {
        return new Opt(names, valueLabel, repeatable, value, help, hidden);
    }

    public Opt hide() {
        return new Opt(names, valueLabel, repeatable, defaultValue, help, true);
    }

    public boolean takesValue() {
        return valueLabel != null;
    }

    /** The long name, used as the key of parsed values. */
    public String key() {
        return names.getFirst();
    }
}
