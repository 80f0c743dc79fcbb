package dev.nido.image.build;

import dev.nido.oci.ContainerConfig;
import dev.nido.oci.Json;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The instructions that change only the image's config (ENV, LABEL, EXPOSE, VOLUME, CMD,
 * ENTRYPOINT, SHELL, STOPSIGNAL, USER, the config part of WORKDIR, MAINTAINER): each gives the new
 * config and the instruction as it reads after substitution, which is its cache key and history
 * line. Problems are IllegalArgumentExceptions without the FILE:LINE, which the caller adds.
 */
final class ConfigSteps {
    static final List<String> DEFAULT_SHELL = List.of("/bin/sh", "-c");
    private static final Pattern PORT = Pattern.compile("(\\d{1,5})(?:-(\\d{1,5}))?(?:/(tcp|udp|sctp))?",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern SIGNAL = Pattern.compile("(SIG)?[A-Z][A-Z0-9]*(\\+\\d+)?|\\d{1,2}");

    /** The outcome of one instruction: the config after it and its text after substitution. */
    record Change(ContainerConfig config, String text) {
    }

    private ConfigSteps() {
    }

    static Change apply(Instruction ins, BuildState st) {
        ContainerConfig c = st.config;
        Function<String, String> vars = st.vars();
        return switch (ins.keyword()) {
            case "ENV" -> env(ins, c, vars);
            case "LABEL" -> label(ins, c, vars);
            case "EXPOSE" -> expose(ins, c, vars);
            case "VOLUME" -> volume(ins, c, vars);
            case "CMD" -> {
                List<String> cmd = command(ins, c);
                st.cmdSet = true;
                yield new Change(with(c, Field.CMD, cmd), "CMD " + json(cmd));
            }
            case "ENTRYPOINT" -> {
                List<String> ep = command(ins, c);
                ContainerConfig n = with(c, Field.ENTRYPOINT, ep);
                yield new Change(st.cmdSet ? n : with(n, Field.CMD, null), "ENTRYPOINT " + json(ep));
            }
            case "SHELL" -> new Change(with(c, Field.SHELL, ins.json()), "SHELL " + json(ins.json()));
            case "STOPSIGNAL" -> {
                String s = Words.expand(ins.args(), vars);
                if (!SIGNAL.matcher(s).matches()) {
                    throw new IllegalArgumentException("STOPSIGNAL " + s + ": expected a signal name or number"
                            + " (SIGTERM, SIGQUIT, 9)");
                }
                yield new Change(with(c, Field.STOPSIGNAL, s), "STOPSIGNAL " + s);
            }
            case "USER" -> {
                String u = Words.expand(ins.args(), vars);
                if (u.isEmpty() || u.startsWith(":") || u.chars().anyMatch(Character::isWhitespace)) {
                    throw new IllegalArgumentException("USER " + u + ": expected name-or-uid[:group-or-gid]");
                }
                yield new Change(with(c, Field.USER, u), "USER " + u);
            }
            case "WORKDIR" -> {
                String w = workdir(Words.expand(ins.args(), vars), c.workingDir());
                yield new Change(with(c, Field.WORKDIR, w), "WORKDIR " + w);
            }
            case "MAINTAINER" -> {
                st.author = Words.expand(ins.args(), vars);
                yield new Change(c, "MAINTAINER " + st.author);
            }
            default -> throw new IllegalStateException("not a config instruction: " + ins.keyword());
        };
    }

    /** WORKDIR {@code path} after {@code current} (null: /), cleaned, absolute. */
    static String workdir(String path, String current) {
        String base = current == null || current.isEmpty() ? "/" : current;
        String joined = path.startsWith("/") ? path : base + "/" + path;
        return "/" + DockerIgnore.clean(joined);
    }

    /** The shell (exec form as is, shell form through the image's SHELL) of RUN, CMD and ENTRYPOINT. */
    static List<String> command(Instruction ins, ContainerConfig c) {
        if (ins.isJson()) {
            return ins.json();
        }
        List<String> out = new ArrayList<>(c.shell().isEmpty() ? DEFAULT_SHELL : c.shell());
        out.add(ins.args());
        return out;
    }

    static String json(List<String> l) {
        return new String(Json.writeCompact(l), StandardCharsets.UTF_8);
    }

    /** ENV and LABEL pairs: {@code K=V ...} or the legacy {@code K V with spaces}. */
    static Map<String, String> pairs(Instruction ins, Function<String, String> vars) {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> words = Words.split(ins.args(), vars);
        String first = ins.args().split("\\s+", 2)[0];
        if (!first.contains("=")) {
            String[] kv = ins.args().split("\\s+", 2);
            if (kv.length < 2) {
                throw new IllegalArgumentException(ins.keyword() + " " + ins.args() + ": expected KEY=VALUE");
            }
            out.put(Words.expand(kv[0], vars), Words.expand(kv[1], vars));
            return out;
        }
        for (String w : words) {
            int eq = w.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(ins.keyword() + " " + w + ": expected KEY=VALUE");
            }
            out.put(w.substring(0, eq), w.substring(eq + 1));
        }
        return out;
    }

    private static String show(Map<String, String> pairs) {
        StringBuilder s = new StringBuilder();
        pairs.forEach((k, v) -> s.append(s.isEmpty() ? "" : " ").append(k).append('=')
                .append(v.isEmpty() || v.chars().anyMatch(ch -> Character.isWhitespace(ch) || ch == '"')
                        ? "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"" : v));
        return s.toString();
    }

    private static Change env(Instruction ins, ContainerConfig c, Function<String, String> vars) {
        Map<String, String> pairs = pairs(ins, vars);
        List<String> env = new ArrayList<>(c.env());
        pairs.forEach((k, v) -> {
            if (k.contains("=") || k.isEmpty()) {
                throw new IllegalArgumentException("ENV " + k + ": not a variable name");
            }
            env.removeIf(e -> e.startsWith(k + "="));
            env.add(k + "=" + v);
        });
        return new Change(with(c, Field.ENV, env), "ENV " + show(pairs));
    }

    private static Change label(Instruction ins, ContainerConfig c, Function<String, String> vars) {
        Map<String, String> pairs = pairs(ins, vars);
        Map<String, String> labels = new LinkedHashMap<>(c.labels());
        labels.putAll(pairs);
        return new Change(with(c, Field.LABELS, labels), "LABEL " + show(pairs));
    }

    private static Change expose(Instruction ins, ContainerConfig c, Function<String, String> vars) {
        Map<String, Object> ports = new LinkedHashMap<>(c.exposedPorts());
        List<String> shown = new ArrayList<>();
        for (String w : Words.split(ins.args(), vars)) {
            var m = PORT.matcher(w);
            if (!m.matches()) {
                throw new IllegalArgumentException("EXPOSE " + w + ": expected PORT, PORT/tcp, PORT/udp or FROM-TO/PROTO");
            }
            int from = Integer.parseInt(m.group(1));
            int to = m.group(2) == null ? from : Integer.parseInt(m.group(2));
            String proto = m.group(3) == null ? "tcp" : m.group(3).toLowerCase(java.util.Locale.ROOT);
            if (from < 1 || to > 65535 || to < from) {
                throw new IllegalArgumentException("EXPOSE " + w + ": ports are 1 to 65535");
            }
            for (int p = from; p <= to; p++) {
                ports.put(p + "/" + proto, Map.of());
            }
            shown.add(w.toLowerCase(java.util.Locale.ROOT));
        }
        return new Change(with(c, Field.PORTS, ports), "EXPOSE " + String.join(" ", shown));
    }

    private static Change volume(Instruction ins, ContainerConfig c, Function<String, String> vars) {
        List<String> paths = new ArrayList<>();
        if (ins.isJson()) {
            ins.json().forEach(p -> paths.add(Words.expand(p, vars)));
        } else {
            paths.addAll(Words.split(ins.args(), vars));
        }
        Map<String, Object> volumes = new LinkedHashMap<>(c.volumes());
        for (String p : paths) {
            if (p.isEmpty()) {
                throw new IllegalArgumentException("VOLUME: an empty path");
            }
            volumes.put(p, Map.of());
        }
        return new Change(with(c, Field.VOLUMES, volumes), "VOLUME " + json(paths));
    }

    private enum Field { USER, PORTS, ENV, ENTRYPOINT, CMD, VOLUMES, WORKDIR, LABELS, STOPSIGNAL, SHELL }

    @SuppressWarnings("unchecked")
    private static ContainerConfig with(ContainerConfig c, Field f, Object v) {
        return new ContainerConfig(
                f == Field.USER ? (String) v : c.user(),
                f == Field.PORTS ? (Map<String, Object>) v : c.exposedPorts(),
                f == Field.ENV ? (List<String>) v : c.env(),
                f == Field.ENTRYPOINT ? (List<String>) v : c.entrypoint(),
                f == Field.CMD ? (List<String>) v : c.cmd(),
                f == Field.VOLUMES ? (Map<String, Object>) v : c.volumes(),
                f == Field.WORKDIR ? (String) v : c.workingDir(),
                f == Field.LABELS ? (Map<String, String>) v : c.labels(),
                f == Field.STOPSIGNAL ? (String) v : c.stopSignal(),
                f == Field.SHELL ? (List<String>) v : c.shell());
    }
}
