package dev.nido.image.build;

import dev.nido.image.store.Image;
import dev.nido.oci.ContainerConfig;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Where a build is between steps: the current image (null before FROM or for {@code FROM scratch}
 * until the first commit) and its config, the ARGs in scope, whether this file set CMD (an
 * ENTRYPOINT then keeps it, else it clears the base image's), and the author.
 */
final class BuildState {
    /** Arguments Docker accepts without an ARG line; they reach RUN's environment but not the cache key. */
    static final Set<String> PROXY_ARGS = Set.of("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy",
            "FTP_PROXY", "ftp_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy");

    Image image;
    ContainerConfig config = ContainerConfig.empty();
    boolean cmdSet;
    String author;
    /** ARGs declared in the current scope and their values (null: declared without one). */
    Map<String, String> args = new LinkedHashMap<>();
    /** ARGs declared before FROM: only FROM sees them, and an ARG NAME after FROM takes their value. */
    final Map<String, String> globalArgs = new LinkedHashMap<>();
    final Map<String, String> given;
    final Set<String> used = new LinkedHashSet<>();

    BuildState(Map<String, String> given) {
        this.given = given;
    }

    /** The parent part of a step's cache key. */
    String parentId() {
        return image == null ? "scratch" : image.id().toString();
    }

    /** Variables for substitution: the image's ENV first (ENV overrides ARG), then ARGs in scope. */
    Function<String, String> vars() {
        return name -> {
            String e = env(name);
            return e != null ? e : args.get(name);
        };
    }

    String env(String name) {
        for (String kv : config.env()) {
            if (kv.startsWith(name + "=")) {
                return kv.substring(name.length() + 1);
            }
        }
        return null;
    }

    /** Build arguments a RUN sees: declared ARGs with values, and proxy variables given on the command line. */
    Map<String, String> runArgs() {
        Map<String, String> out = new LinkedHashMap<>();
        args.forEach((k, v) -> {
            if (v != null) {
                out.put(k, v);
            }
        });
        given.forEach((k, v) -> {
            if (PROXY_ARGS.contains(k) && !out.containsKey(k)) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** The declared arguments as they enter a RUN's cache key: sorted {@code K=V} lines. */
    String argsKey() {
        StringBuilder s = new StringBuilder();
        new TreeMap<>(args).forEach((k, v) -> {
            if (v != null) {
                s.append(k).append('=').append(v).append('\n');
            }
        });
        return s.toString();
    }

    /** {@code --build-arg}s no ARG declared (proxy variables excepted). */
    List<String> unused() {
        return given.keySet().stream().filter(k -> !used.contains(k) && !PROXY_ARGS.contains(k)).sorted().toList();
    }
}
