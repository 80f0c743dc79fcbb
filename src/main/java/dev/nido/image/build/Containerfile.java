package dev.nido.image.build;

import dev.nido.image.ImageException;
import dev.nido.oci.Json;
import dev.nido.oci.SpecException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A parsed Containerfile (Dockerfile): lines joined at a trailing backslash, comments and blank
 * lines dropped (also inside a continuation, as Docker does), parser directives at the top
 * ({@code # syntax=}, {@code # check=}) ignored, keywords case-insensitive. Everything that can be
 * checked before the build is checked here, and every problem is reported at once, each as
 * {@code FILE:LINE: what is wrong (what to do)}.
 */
record Containerfile(String name, List<Instruction> instructions) {
    static final Set<String> KEYWORDS = Set.of("FROM", "RUN", "COPY", "ADD", "ENV", "ARG", "WORKDIR", "USER",
            "LABEL", "EXPOSE", "VOLUME", "CMD", "ENTRYPOINT", "SHELL", "STOPSIGNAL", "MAINTAINER");
    private static final Map<String, String> REFUSED = Map.of(
            "ONBUILD", "ONBUILD triggers are not supported by nido build",
            "HEALTHCHECK", "HEALTHCHECK is not supported by nido build (nido has no health checks yet)");
    private static final Map<String, Set<String>> FLAGS = Map.of(
            "COPY", Set.of("chown", "chmod"), "ADD", Set.of("chown", "chmod"));
    private static final Pattern HEREDOC = Pattern.compile("<<-?[\"']?[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern DIRECTIVE = Pattern.compile("^#\\s*([A-Za-z][A-Za-z0-9_-]*)\\s*=\\s*(.*?)\\s*$");

    Containerfile {
        instructions = List.copyOf(instructions);
    }

    /** Parses {@code text}; {@code name} labels messages. Throws one ImageException listing every problem. */
    static Containerfile parse(String text, String name) {
        List<String> errors = new ArrayList<>();
        List<Instruction> out = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        int i = directives(lines, name, errors);
        while (i < lines.length) {
            String first = lines[i].strip();
            if (first.isEmpty() || first.startsWith("#")) {
                i++;
                continue;
            }
            int start = i + 1;
            StringBuilder joined = new StringBuilder();
            String cur = stripLeading(lines[i]);
            i++;
            while (continues(cur)) {
                joined.append(cur, 0, trailingBackslash(cur));
                cur = null;
                while (i < lines.length) {
                    String next = lines[i++];
                    String s = next.strip();
                    if (!s.isEmpty() && !s.startsWith("#")) {
                        cur = next;
                        break;
                    }
                }
                if (cur == null) {
                    cur = "";
                    break;
                }
            }
            joined.append(cur);
            Instruction ins = instruction(joined.toString().strip(), name, start, errors);
            if (ins != null) {
                out.add(ins);
            }
        }
        checkOrder(out, name, errors);
        if (!errors.isEmpty()) {
            throw new ImageException(String.join("\n", errors));
        }
        return new Containerfile(name, out);
    }

    private static String stripLeading(String s) {
        return s.stripLeading();
    }

    private static boolean continues(String line) {
        return trailingBackslash(line) >= 0;
    }

    /** Index of the continuation backslash (trailing whitespace allowed after it), or -1. */
    private static int trailingBackslash(String line) {
        String s = line.stripTrailing();
        return s.endsWith("\\") ? s.length() - 1 : -1;
    }

    /** Skips parser directives; returns the first line after them. */
    private static int directives(String[] lines, String name, List<String> errors) {
        int i = 0;
        for (; i < lines.length; i++) {
            var m = DIRECTIVE.matcher(lines[i].strip());
            if (!m.matches()) {
                break;
            }
            String key = m.group(1).toLowerCase(Locale.ROOT);
            if (key.equals("escape") && !m.group(2).equals("\\")) {
                errors.add(name + ":" + (i + 1) + ": escape=" + m.group(2)
                        + " is not supported (nido build only uses \\ as the escape character)");
            }
        }
        return i;
    }

    private static Instruction instruction(String line, String file, int lineNo, List<String> errors) {
        String where = file + ":" + lineNo;
        int sp = indexOfSpace(line);
        String word = sp < 0 ? line : line.substring(0, sp);
        String keyword = word.toUpperCase(Locale.ROOT);
        String rest = sp < 0 ? "" : line.substring(sp).strip();
        if (REFUSED.containsKey(keyword)) {
            errors.add(where + ": " + REFUSED.get(keyword) + " (remove the line)");
            return null;
        }
        if (!KEYWORDS.contains(keyword)) {
            errors.add(where + ": unknown instruction \"" + word + "\" (expected one of FROM, RUN, COPY, ADD, ENV, ARG,"
                    + " WORKDIR, USER, LABEL, EXPOSE, VOLUME, CMD, ENTRYPOINT, SHELL, STOPSIGNAL)");
            return null;
        }
        Map<String, String> flags = new LinkedHashMap<>();
        while (rest.startsWith("--")) {
            int end = indexOfSpace(rest);
            String flag = end < 0 ? rest : rest.substring(0, end);
            rest = end < 0 ? "" : rest.substring(end).strip();
            int eq = flag.indexOf('=');
            String fname = eq < 0 ? flag.substring(2) : flag.substring(2, eq);
            String problem = flagProblem(keyword, fname);
            if (problem != null) {
                errors.add(where + ": " + keyword + " " + flag + ": " + problem);
                return null;
            }
            flags.put(fname, eq < 0 ? "" : flag.substring(eq + 1));
        }
        try {
            List<String> json = json(keyword, rest);
            Instruction ins = new Instruction(file, lineNo, keyword, flags, rest, json, line);
            String problem = Checks.problem(ins);
            if (problem != null) {
                errors.add(where + ": " + problem);
                return null;
            }
            return ins;
        } catch (IllegalArgumentException e) {
            errors.add(where + ": " + keyword + ": " + e.getMessage());
            return null;
        }
    }

    private static int indexOfSpace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static String flagProblem(String keyword, String flag) {
        if (FLAGS.getOrDefault(keyword, Set.of()).contains(flag)) {
            return null;
        }
        return switch (flag) {
            case "from" -> "multi-stage builds are not supported (build the other stage as its own image,"
                    + " then COPY from a context that holds its files)";
            case "mount" -> "RUN --mount is not supported (COPY what the step needs first)";
            case "platform" -> "--platform is not supported (nido build makes images for this machine)";
            case "network", "security" -> "RUN --" + flag + " is not supported (RUN steps share the host's network)";
            default -> "unknown option (" + (FLAGS.containsKey(keyword) ? keyword + " takes --chown=UID:GID and"
                    + " --chmod=MODE" : keyword + " takes no options") + ")";
        };
    }

    /** The exec form: a JSON array of strings, for the instructions that have one. */
    @SuppressWarnings("unchecked")
    private static List<String> json(String keyword, String rest) {
        if (!Set.of("RUN", "CMD", "ENTRYPOINT", "SHELL", "COPY", "ADD", "VOLUME").contains(keyword)
                || !rest.startsWith("[")) {
            return null;
        }
        try {
            Object o = Json.read(rest.getBytes(StandardCharsets.UTF_8), Object.class, keyword);
            if (o instanceof List<?> l && l.stream().allMatch(x -> x instanceof String)) {
                return (List<String>) l;
            }
        } catch (SpecException e) {
            // said below
        }
        throw new IllegalArgumentException("expected a JSON array of strings such as [\"cat\", \"/greeting\"]"
                + " (double quotes, commas between items), or the shell form without brackets");
    }

    private static void checkOrder(List<Instruction> ins, String name, List<String> errors) {
        boolean from = false;
        for (Instruction i : ins) {
            if (i.keyword().equals("FROM")) {
                if (from) {
                    errors.add(i.where() + ": a second FROM: multi-stage builds are not supported"
                            + " (split the file: build each stage as its own image with -t and FROM it)");
                }
                from = true;
            } else if (!from && !i.keyword().equals("ARG")) {
                errors.add(i.where() + ": " + i.keyword() + " before FROM (only ARG may come before FROM)");
            }
        }
        if (!from && errors.isEmpty()) {
            errors.add(name + ":1: no FROM instruction (start with FROM IMAGE, FROM template:busybox or FROM scratch)");
        }
    }

    /** Per-instruction checks that need no variables. */
    static final class Checks {
        private Checks() {
        }

        static String problem(Instruction i) {
            String a = i.args();
            if (a.isEmpty() && !i.keyword().equals("RUN")) {
                return i.keyword() + " needs " + usage(i.keyword());
            }
            return switch (i.keyword()) {
                case "RUN" -> a.isEmpty() || i.isJson() && i.json().isEmpty() ? "RUN needs a command" : heredoc(i);
                case "CMD", "ENTRYPOINT" -> null;
                case "SHELL" -> !i.isJson() || i.json().isEmpty() ? "SHELL needs a JSON array such as"
                        + " [\"/bin/bash\", \"-c\"]" : null;
                case "COPY", "ADD" -> heredoc(i) != null ? heredoc(i) : copyArgs(i);
                case "FROM" -> from(a);
                case "ENV", "LABEL" -> keyValues(i);
                default -> null;
            };
        }

        private static String usage(String keyword) {
            return switch (keyword) {
                case "FROM" -> "an image: FROM busybox, FROM template:busybox or FROM scratch";
                case "COPY", "ADD" -> "a source and a destination: " + keyword + " file.txt /dir/";
                case "ENV" -> "KEY=VALUE (or KEY VALUE)";
                case "LABEL" -> "KEY=VALUE";
                case "ARG" -> "a name: ARG NAME or ARG NAME=default";
                case "WORKDIR" -> "a directory: WORKDIR /app";
                case "USER" -> "a user: USER 1000 or USER name[:group]";
                case "EXPOSE" -> "a port: EXPOSE 8080 or EXPOSE 53/udp";
                case "VOLUME" -> "a path: VOLUME /data";
                case "STOPSIGNAL" -> "a signal: STOPSIGNAL SIGTERM";
                case "SHELL" -> "a JSON array such as [\"/bin/bash\", \"-c\"]";
                case "MAINTAINER" -> "a name";
                default -> "a command";
            };
        }

        private static String heredoc(Instruction i) {
            return !i.isJson() && HEREDOC.matcher(i.args()).find() ? i.keyword() + ": heredocs (<<EOF) are not"
                    + " supported (put the text in a file of the context and COPY it)" : null;
        }

        private static String copyArgs(Instruction i) {
            int n = i.isJson() ? i.json().size() : Words.split(i.args(), v -> "$" + v).size();
            return n < 2 ? i.keyword() + " needs " + usage(i.keyword()) : null;
        }

        private static String from(String a) {
            List<String> w = Words.split(a, v -> "x");
            if (w.size() == 3 && w.get(1).equalsIgnoreCase("AS")) {
                return "FROM ... AS " + w.get(2) + ": multi-stage builds are not supported (drop \"AS "
                        + w.get(2) + "\"; build each stage as its own image with -t and FROM it)";
            }
            return w.size() == 1 ? null : "FROM takes one image (FROM busybox), got \"" + a + "\"";
        }

        private static String keyValues(Instruction i) {
            List<String> w = Words.split(i.args(), v -> "x");
            if (w.isEmpty()) {
                return i.keyword() + " needs " + usage(i.keyword());
            }
            if (!w.getFirst().contains("=")) {
                return w.size() >= 2 ? null : i.keyword() + " " + i.args() + ": expected KEY=VALUE"
                        + (i.keyword().equals("ENV") ? " or KEY VALUE" : "");
            }
            for (String kv : w) {
                if (kv.indexOf('=') <= 0) {
                    return i.keyword() + " " + kv + ": expected KEY=VALUE (quote values with spaces: KEY=\"a b\")";
                }
            }
            return null;
        }
    }
}
