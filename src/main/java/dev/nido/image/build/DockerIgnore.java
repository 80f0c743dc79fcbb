package dev.nido.image.build;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code .dockerignore} rules: one pattern per line, {@code #} comments, paths relative to the
 * context (a leading {@code /} is dropped), {@code *} any run of characters but {@code /},
 * {@code ?} one such character, {@code [a-z]} a class, {@code **} any number of directories,
 * {@code !} re-includes. The last pattern that matches a path, or one of its parent directories,
 * decides: so {@code build/} excludes everything under it, and {@code !build/keep.txt} after it
 * brings one file back.
 */
final class DockerIgnore {
    private record Rule(Pattern pattern, boolean exclude) {
    }

    private final List<Rule> rules;

    private DockerIgnore(List<Rule> rules) {
        this.rules = rules;
    }

    static DockerIgnore none() {
        return new DockerIgnore(List.of());
    }

    static DockerIgnore parse(String text) {
        List<Rule> rules = new ArrayList<>();
        for (String raw : text.split("\r?\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            boolean exclude = true;
            if (line.startsWith("!")) {
                exclude = false;
                line = line.substring(1).strip();
            }
            String clean = clean(line);
            if (!clean.isEmpty()) {
                rules.add(new Rule(Pattern.compile(regex(clean)), exclude));
            }
        }
        return new DockerIgnore(List.copyOf(rules));
    }

    /** Whether any rule re-includes something (then an excluded directory must still be walked). */
    boolean hasExceptions() {
        return rules.stream().anyMatch(r -> !r.exclude());
    }

    /** Whether {@code path} (relative to the context, {@code /}-separated) is left out. */
    boolean excluded(String path) {
        String p = clean(path);
        if (p.isEmpty()) {
            return false;
        }
        boolean out = false;
        for (Rule r : rules) {
            if (matchesOrParentMatches(r.pattern(), p)) {
                out = r.exclude();
            }
        }
        return out;
    }

    private static boolean matchesOrParentMatches(Pattern pattern, String path) {
        if (pattern.matcher(path).matches()) {
            return true;
        }
        for (int i = path.indexOf('/'); i > 0; i = path.indexOf('/', i + 1)) {
            if (pattern.matcher(path.substring(0, i)).matches()) {
                return true;
            }
        }
        return false;
    }

    /** Lexically cleaned: no leading or trailing slash, no {@code .} components, {@code ..} resolved. */
    static String clean(String path) {
        List<String> parts = new ArrayList<>();
        for (String c : path.split("/+")) {
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                if (!parts.isEmpty()) {
                    parts.removeLast();
                }
                continue;
            }
            parts.add(c);
        }
        return String.join("/", parts);
    }

    /** The pattern as a regular expression over whole paths. */
    static String regex(String pattern) {
        StringBuilder re = new StringBuilder();
        int n = pattern.length();
        for (int i = 0; i < n; i++) {
            char c = pattern.charAt(i);
            switch (c) {
                case '*' -> {
                    if (i + 1 < n && pattern.charAt(i + 1) == '*') {
                        i++;
                        if (i + 1 < n && pattern.charAt(i + 1) == '/') {
                            i++;
                            re.append("(?:.*/)?"); // "**/" : zero or more directories
                        } else {
                            re.append(".*");
                        }
                    } else {
                        re.append("[^/]*");
                    }
                }
                case '?' -> re.append("[^/]");
                case '[' -> {
                    int end = pattern.indexOf(']', i + 2);
                    if (end < 0) {
                        re.append("\\[");
                    } else {
                        String cls = pattern.substring(i + 1, end);
                        if (cls.startsWith("^") || cls.startsWith("!")) {
                            cls = "^" + cls.substring(1);
                        }
                        re.append('[').append(cls.replace("\\", "\\\\")).append(']');
                        i = end;
                    }
                }
                case '\\' -> {
                    if (i + 1 < n) {
                        re.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
                    }
                }
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return re.toString();
    }
}
