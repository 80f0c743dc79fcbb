package dev.nido.engine;

import dev.nido.image.store.AtomicFiles;
import dev.nido.image.store.StoreLock;
import dev.nido.oci.Json;
import dev.nido.oci.SpecException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The engine's containers under {@code ROOT/containers/ID/}: {@code container.json}, the OCI
 * bundle ({@code bundle/config.json}) and the root filesystem ({@code fs/}). Names are unique,
 * checked and claimed under {@code ROOT/containers.lock}; the runtime's own state lives in
 * {@code ROOT/runtime}, as runc's {@code --root}.
 */
public final class Containers {
    private final Path root;
    private final Path dir;

    public Containers(Path root) {
        this.root = root;
        this.dir = root.resolve("containers");
    }

    public Path dir(String id) {
        return dir.resolve(id);
    }

    /**
     * Random bytes from the kernel's pool: read directly, as SecureRandom's first use costs tens of
     * milliseconds of provider set-up in a fresh JVM.
     */
    static byte[] random(int n) {
        byte[] b = new byte[n];
        try (java.io.InputStream in = Files.newInputStream(Path.of("/dev/urandom"))) {
            if (in.readNBytes(b, 0, n) == n) {
                return b;
            }
        } catch (IOException e) {
            // below
        }
        new java.security.SecureRandom().nextBytes(b);
        return b;
    }

    public Path root() {
        return root;
    }

    /**
     * Where the container's monitor listens for attach clients: {@code ROOT/sock/ID12}, short
     * because a unix socket path holds at most 107 bytes.
     */
    public Path attachSocket(String id) {
        Path p = root.resolve("sock").resolve(id.substring(0, 12));
        if (p.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 100) {
            throw new EngineException("--root " + root + " is too long for the containers' unix sockets (at most 83"
                    + " bytes): choose a shorter store path");
        }
        try {
            Files.createDirectories(p.getParent());
        } catch (IOException e) {
            throw new EngineException("create " + p.getParent() + ": " + e.getMessage(), e);
        }
        return p;
    }

    /** A socket a foreground CLI listens on for the monitor of a container it starts. */
    public Path clientSocket(String id) {
        Path a = attachSocket(id);
        return a.resolveSibling(a.getFileName() + "." + HexFormat.of().formatHex(random(3)));
    }

    public Path runtimeRoot() {
        return root.resolve("runtime");
    }

    /** Claims a name (or makes one) and writes the first record; fails if the name is taken. */
    public ContainerInfo create(String name, String image, String imageId, List<String> command) {
        return create(name, image, imageId, command, HostConfig.defaults());
    }

    /** {@link #create(String, String, String, List)} with how it is to run. */
    public ContainerInfo create(String name, String image, String imageId, List<String> command, HostConfig host) {
        String id = HexFormat.of().formatHex(random(32));
        String n = name != null ? name : "nido_" + id.substring(0, 8);
        checkName(n);
        try (StoreLock l = StoreLock.acquire(root.resolve("containers.lock"))) {
            for (ContainerInfo c : list()) {
                if (c.name().equals(n)) {
                    throw new EngineException("the container name \"" + n + "\" is already in use by " + c.id()
                            .substring(0, 12) + " (remove it with nido rm " + n + ", or choose another --name)");
                }
            }
            ContainerInfo info = new ContainerInfo(id, n, image, imageId, command,
                    java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString(), "created",
                    null, null, host, null, 0, false);
            Files.createDirectories(dir(id));
            ContainerLock.create(dir(id));
            save(info);
            return info;
        } catch (IOException e) {
            throw new EngineException("create " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Gives a container another name, checked against the others under the lock. */
    public ContainerInfo rename(String ref, String newName) {
        checkName(newName);
        try (StoreLock l = StoreLock.acquire(root.resolve("containers.lock"))) {
            ContainerInfo c = find(ref);
            for (ContainerInfo o : list()) {
                if (o.name().equals(newName) && !o.id().equals(c.id())) {
                    throw new EngineException("the container name \"" + newName + "\" is already in use by "
                            + o.id().substring(0, 12));
                }
            }
            ContainerInfo renamed = c.named(newName);
            save(renamed);
            return renamed;
        }
    }

    private static void checkName(String n) {
        if (!n.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]*")) {
            throw new EngineException("container name " + n + ": use letters, digits, _ . - (starting with a letter"
                    + " or digit)");
        }
    }

    public void save(ContainerInfo c) {
        AtomicFiles.write(dir(c.id()).resolve("container.json"), Json.writePretty(c.toJson()));
    }

    public List<ContainerInfo> list() {
        List<ContainerInfo> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.sorted().toList()) {
                Path f = p.resolve("container.json");
                if (Files.isRegularFile(f)) {
                    try {
                        out.add(ContainerInfo.fromJson(Files.readAllBytes(f), f.toString()));
                    } catch (SpecException e) {
                        // a damaged record: nido system check reports it
                    }
                }
            }
        } catch (IOException e) {
            throw new EngineException("list " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** By name, full id or id prefix (at least 4 characters). */
    public ContainerInfo find(String ref) {
        if (ref.length() == 64 && ref.matches("[0-9a-f]+")) {
            // a full id (every internal lookup): its own record only, not a parse of every container
            Path f = dir(ref).resolve("container.json");
            try {
                return ContainerInfo.fromJson(Files.readAllBytes(f), f.toString());
            } catch (IOException | SpecException e) {
                // gone or damaged: the scan below says so
            }
        }
        ContainerInfo hit = null;
        for (ContainerInfo c : list()) {
            if (c.name().equals(ref) || c.id().equals(ref)) {
                return c;
            }
            if (ref.length() >= 4 && c.id().startsWith(ref)) {
                if (hit != null) {
                    throw new EngineException("container id prefix \"" + ref + "\" is ambiguous: give more characters");
                }
                hit = c;
            }
        }
        if (hit == null) {
            throw new EngineException("no such container: " + ref + " (nido ps -a lists them)");
        }
        return hit;
    }

    /** Whether the runtime still knows the container (it is running, or its run was killed). */
    public boolean active(ContainerInfo c) {
        return Files.exists(runtimeRoot().resolve(c.id()));
    }
}
