package dev.nido.image.build;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The word rules of Containerfile arguments, as Docker's shell lexer applies them: whitespace
 * separates words, {@code '...'} is literal, {@code "..."} keeps spaces and expands variables,
 * a backslash escapes the next character, and {@code $NAME}, {@code ${NAME}},
 * {@code ${NAME:-default}}, {@code ${NAME-default}}, {@code ${NAME:+alt}}, {@code ${NAME+alt}},
 * {@code ${NAME:?message}} and {@code ${NAME?message}} are replaced from {@code vars} (null: unset).
 * As in Docker, the text is split into words first and each word expanded after, so a value with
 * spaces stays one word ({@code ENV B=$A} keeps all of A).
 */
final class Words {
    private final String text;
    private final Function<String, String> vars;
    private int pos;
    private final List<String> words = new ArrayList<>();
    private final StringBuilder word = new StringBuilder();
    private boolean inWord;

    private Words(String text, Function<String, String> vars) {
        this.text = text;
        this.vars = vars;
    }

    /**
     * The words of {@code text}, quotes removed and variables expanded; an unquoted word that
     * expands to nothing ({@code $UNSET}) is dropped.
     */
    static List<String> split(String text, Function<String, String> vars) {
        List<String> out = new ArrayList<>();
        for (String raw : raw(text)) {
            String w = one(raw, vars);
            if (!w.isEmpty() || raw.contains("'") || raw.contains("\"")) {
                out.add(w);
            }
        }
        return out;
    }

    /** {@code text} as one word: quotes removed and variables expanded, inner whitespace kept. */
    static String expand(String text, Function<String, String> vars) {
        return one(text.strip(), vars);
    }

    private static String one(String text, Function<String, String> vars) {
        Words w = new Words(text, vars);
        w.run();
        return w.words.isEmpty() ? "" : w.words.getFirst();
    }

    /** {@code text} split at whitespace outside quotes, each word as written (quotes and escapes kept). */
    static List<String> raw(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean in = false;
        char quote = 0;
        int braces = 0; // inside ${...}, whose default may hold spaces
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != '\'' && c == '$' && i + 1 < text.length() && text.charAt(i + 1) == '{') {
                braces++;
            } else if (braces > 0 && c == '}' && quote != '\'') {
                braces--;
            }
            if (quote == 0 && braces == 0 && Character.isWhitespace(c)) {
                if (in) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    in = false;
                }
                continue;
            }
            in = true;
            cur.append(c);
            if (c == '\\' && quote != '\'' && i + 1 < text.length()) {
                cur.append(text.charAt(++i));
            } else if (quote == 0 && (c == '\'' || c == '"')) {
                quote = c;
            } else if (c == quote) {
                quote = 0;
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("unexpected end of line while looking for the closing " + quote);
        }
        if (in) {
            out.add(cur.toString());
        }
        return out;
    }

    private void run() {
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            switch (c) {
                case '\'' -> singleQuoted();
                case '"' -> doubleQuoted();
                case '\\' -> add(pos < text.length() ? text.charAt(pos++) : '\\');
                case '$' -> {
                    String v = dollar();
                    word.append(v == null ? "" : v);
                    inWord = true;
                }
                default -> add(c);
            }
        }
        endWord();
        if (words.isEmpty()) {
            words.add("");
        }
    }

    private void add(char c) {
        word.append(c);
        inWord = true;
    }

    private void endWord() {
        if (inWord) {
            words.add(word.toString());
        }
        word.setLength(0);
        inWord = false;
    }

    private void singleQuoted() {
        inWord = true;
        int end = text.indexOf('\'', pos);
        if (end < 0) {
            throw new IllegalArgumentException("unexpected end of line while looking for the closing '");
        }
        word.append(text, pos, end);
        pos = end + 1;
    }

    private void doubleQuoted() {
        inWord = true;
        while (true) {
            if (pos >= text.length()) {
                throw new IllegalArgumentException("unexpected end of line while looking for the closing \"");
            }
            char c = text.charAt(pos++);
            if (c == '"') {
                return;
            } else if (c == '\\' && pos < text.length() && "\"\\$".indexOf(text.charAt(pos)) >= 0) {
                word.append(text.charAt(pos++));
            } else if (c == '$') {
                String v = dollar();
                word.append(v == null ? "" : v);
            } else {
                word.append(c);
            }
        }
    }

    /** After a {@code $}: the value (null when unset), or a literal {@code $} when no name follows. */
    private String dollar() {
        if (pos < text.length() && text.charAt(pos) == '{') {
            return braced();
        }
        int start = pos;
        while (pos < text.length() && isNameChar(text.charAt(pos), pos == start)) {
            pos++;
        }
        if (start == pos) {
            return "$";
        }
        return vars.apply(text.substring(start, pos));
    }

    private static boolean isNameChar(char c, boolean first) {
        return c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || !first && c >= '0' && c <= '9';
    }

    private String braced() {
        int open = pos;
        int close = matchingBrace(open);
        String inner = text.substring(open + 1, close);
        pos = close + 1;
        int n = 0;
        while (n < inner.length() && isNameChar(inner.charAt(n), n == 0)) {
            n++;
        }
        String name = inner.substring(0, n);
        if (name.isEmpty()) {
            throw new IllegalArgumentException("bad substitution ${" + inner + "}: expected a variable name");
        }
        String value = vars.apply(name);
        String op = inner.substring(n);
        if (op.isEmpty()) {
            return value;
        }
        boolean colon = op.startsWith(":");
        String rest = colon ? op.substring(1) : op;
        if (rest.isEmpty()) {
            throw new IllegalArgumentException("bad substitution ${" + inner + "}: expected -, +, or ? after :");
        }
        boolean unset = colon ? value == null || value.isEmpty() : value == null;
        String arg = expand(rest.substring(1), vars);
        return switch (rest.charAt(0)) {
            case '-' -> unset ? arg : value;
            case '+' -> unset ? "" : arg;
            case '?' -> {
                if (unset) {
                    throw new IllegalArgumentException(name + ": " + (arg.isEmpty() ? "is not set" : arg));
                }
                yield value;
            }
            default -> throw new IllegalArgumentException("bad substitution ${" + inner
                    + "}: supported forms are ${NAME}, ${NAME:-default}, ${NAME:+alternative}, ${NAME:?message}");
        };
    }

    private int matchingBrace(int open) {
        int depth = 0;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("missing } in " + text.substring(open - 1));
    }
}
