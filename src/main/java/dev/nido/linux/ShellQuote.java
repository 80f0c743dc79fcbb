package dev.nido.linux;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Quotes words for a POSIX shell, so that {@code --explain} lines can be pasted into sh as they
 * are. Words made only of safe characters stay bare; everything else goes in single quotes, with
 * {@code '} written as {@code '\''} (the same rule as Python's shlex.quote).
 */
public final class ShellQuote {
    private ShellQuote() {
    }

    /** {@code abc → abc}, {@code a b → 'a b'}, {@code it's → 'it'\''s'}, empty → {@code ''}. */
    public static String quote(String word) {
        if (word.isEmpty()) {
            return "''";
        }
        if (word.chars().allMatch(ShellQuote::safe)) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /** The words quoted and joined by single spaces. */
    public static String join(List<String> words) {
        return words.stream().map(ShellQuote::quote).collect(Collectors.joining(" "));
    }

    /** The words quoted and joined by single spaces. */
    public static String join(String... words) {
        return join(List.of(words));
    }

    private static boolean safe(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "_@%+=:,./-".indexOf(c) >= 0;
    }
}
