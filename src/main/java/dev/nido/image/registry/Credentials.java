package dev.nido.image.registry;

import dev.nido.image.ImageException;
import dev.nido.image.store.AtomicFiles;
import dev.nido.oci.Json;
import dev.nido.oci.SpecException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Registry credentials. nido's own file ({@code $XDG_CONFIG_HOME/nido/auth.json}, else
 * {@code ~/.config/nido/auth.json}) is read first and is the only one written (by {@code nido
 * login}, mode 0600); Docker's ({@code $DOCKER_CONFIG/config.json}, else
 * {@code ~/.docker/config.json}) is read as a fallback and never changed. Both have Docker's shape:
 * {@code {"auths": {"REGISTRY": {"auth": "base64(user:password)"}}}}; keys may be written as
 * {@code https://index.docker.io/v1/} and the like, which name {@code docker.io}. Credential
 * helpers ({@code credsStore}, {@code credHelpers}) are not run.
 */
public final class Credentials {
    private static final String COMMAND_LINE = "the command line";
    private final Path file;
    private final Path dockerConfig;
    private final Map<String, Credential> fixed;

    private Credentials(Path file, Path dockerConfig, Map<String, Credential> fixed) {
        this.file = file;
        this.dockerConfig = dockerConfig;
        this.fixed = fixed;
    }

    /** The files of the user running nido, from the environment. */
    public static Credentials defaults() {
        String home = System.getProperty("user.home");
        String xdg = System.getenv("XDG_CONFIG_HOME");
        Path config = xdg != null && !xdg.isEmpty() ? Path.of(xdg) : Path.of(home, ".config");
        String docker = System.getenv("DOCKER_CONFIG");
        Path dockerDir = docker != null && !docker.isEmpty() ? Path.of(docker) : Path.of(home, ".docker");
        return at(config.resolve("nido/auth.json"), dockerDir.resolve("config.json"));
    }

    /** nido's file {@code file} (written by {@link #store}) and Docker's {@code dockerConfig} (null: none). */
    public static Credentials at(Path file, Path dockerConfig) {
        return new Credentials(file, dockerConfig, Map.of());
    }

    /** Just one credential, held in memory: what {@code login} checks before storing it. */
    static Credentials only(String registry, Credential c) {
        return new Credentials(null, null, Map.of(key(registry), c));
    }

    /** nido's file, where {@link #store} writes. */
    public Path file() {
        return file;
    }

    /** The credential for {@code registry} ({@code docker.io}, {@code localhost:5000}), if any file has one. */
    public Optional<Credential> find(String registry) {
        return Optional.ofNullable(lookup(registry)).map(Found::credential);
    }

    /** Where the credential for {@code registry} comes from, for messages. */
    public String sourceOf(String registry) {
        Found f = lookup(registry);
        return f == null ? "nowhere" : f.source();
    }

    private record Found(Credential credential, String source) {
    }

    private Found lookup(String registry) {
        String k = key(registry);
        if (fixed.containsKey(k)) {
            return new Found(fixed.get(k), COMMAND_LINE);
        }
        for (Path p : new Path[] {file, dockerConfig}) {
            Credential c = p == null ? null : read(p, k);
            if (c != null) {
                return new Found(c, p.toString());
            }
        }
        return null;
    }

    private static Credential read(Path p, String registryKey) {
        Map<String, Object> auths = auths(document(p), p);
        for (Map.Entry<String, Object> e : auths.entrySet()) {
            if (key(e.getKey()).equals(registryKey) && e.getValue() instanceof Map<?, ?> entry) {
                Credential c = credential(entry);
                if (c != null) {
                    return c;
                }
            }
        }
        return null;
    }

    /** {@code auth} (base64 of user:password), or {@code username} and {@code password} as some tools write. */
    private static Credential credential(Map<?, ?> entry) {
        if (entry.get("auth") instanceof String auth && !auth.isEmpty()) {
            return Credential.decode(auth);
        }
        if (entry.get("username") instanceof String u && entry.get("password") instanceof String pw && !u.isEmpty()) {
            return new Credential(u, pw);
        }
        return null;
    }

    /** Saves {@code c} for {@code registry} in nido's file (created 0600), keeping every other entry. */
    public void store(String registry, Credential c) {
        requireFile();
        Map<String, Object> doc = document(file);
        Map<String, Object> auths = auths(doc, file);
        auths.keySet().removeIf(k -> key(k).equals(key(registry)));
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("auth", c.encoded());
        auths.put(key(registry), entry);
        doc.put("auths", auths);
        write(doc);
    }

    /** Removes the credential for {@code registry} from nido's file; whether there was one. */
    public boolean remove(String registry) {
        requireFile();
        Map<String, Object> doc = document(file);
        Map<String, Object> auths = auths(doc, file);
        boolean found = auths.keySet().removeIf(k -> key(k).equals(key(registry)));
        if (found) {
            doc.put("auths", auths);
            write(doc);
        }
        return found;
    }

    private void requireFile() {
        if (file == null) {
            throw new IllegalStateException("these credentials are not backed by a file");
        }
    }

    /**
     * The name a registry is filed under: no scheme, no path, Docker Hub's many names as
     * {@code docker.io}, lower case.
     */
    static String key(String registry) {
        String k = registry.trim().toLowerCase(Locale.ROOT);
        int scheme = k.indexOf("://");
        if (scheme >= 0) {
            k = k.substring(scheme + 3);
        }
        int slash = k.indexOf('/');
        if (slash >= 0) {
            k = k.substring(0, slash);
        }
        return switch (k) {
            case "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com" -> "docker.io";
            default -> k;
        };
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> document(Path p) {
        if (!Files.isRegularFile(p)) {
            return new LinkedHashMap<>();
        }
        try {
            Object doc = Json.read(Files.readAllBytes(p), Object.class, p.toString());
            if (doc instanceof Map<?, ?> m) {
                return new LinkedHashMap<>((Map<String, Object>) m);
            }
            throw new ImageException(p + ": expected a JSON object with \"auths\" (fix or delete the file)");
        } catch (SpecException e) {
            throw new ImageException(e.getMessage() + " (fix or delete the file)", e);
        } catch (IOException e) {
            throw new ImageException("read " + p + ": " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> auths(Map<String, Object> doc, Path p) {
        Object a = doc.get("auths");
        if (a == null) {
            return new LinkedHashMap<>();
        }
        if (!(a instanceof Map<?, ?> m)) {
            throw new ImageException(p + ": \"auths\" must be an object (fix or delete the file)");
        }
        return new LinkedHashMap<>((Map<String, Object>) m);
    }

    /** Temp file created 0600 (never readable by others, not even for a moment), fsync, rename. */
    private void write(Map<String, Object> doc) {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        try {
            Files.createDirectories(file.getParent(),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(Json.writePretty(doc));
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            AtomicFiles.move(tmp, file);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // nothing more to do
            }
            throw new ImageException("write " + file + ": " + e.getMessage(), e);
        }
    }
}
