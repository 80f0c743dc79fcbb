package dev.nido.runtime;

import dev.nido.oci.Json;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The runtime's state directory (runc's {@code --root}, default /run/nido): one directory per
 * container holding state.json, the exec fifo and a copy of config.json. Writes are atomic
 * (temp file + rename); each container has a lock file for multi-step changes.
 */
public final class StateStore {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_+\\-.]+");
    static final String STATE = "state.json";
    static final String FIFO = "exec.fifo";
    static final String CONFIG = "config.json";

    private final Path root;

    public StateStore(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    /** Checks an id the way runc does. */
    public static void checkId(String id) {
        if (id == null || id.isEmpty()) {
            throw new ContainerException("container id cannot be empty");
        }
        if (!ID.matcher(id).matches() || id.equals(".") || id.equals("..") || id.length() > 1024) {
            throw new ContainerException("invalid container id \"" + id
                    + "\": use letters, digits, '_', '+', '-' and '.' only");
        }
    }

    public Path dir(String id) {
        return root.resolve(id);
    }

    /** Makes the container's directory; fails if the id is taken. */
    public Path createDir(String id) {
        checkId(id);
        try {
            Files.createDirectories(root);
            return Files.createDirectory(dir(id));
        } catch (FileAlreadyExistsException e) {
            throw new ContainerException("container with id exists: " + id);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new ContainerException("create state directory " + dir(id) + ": permission denied on "
                    + e.getFile() + " (choose a --root this user can write)", e);
        } catch (IOException e) {
            throw new ContainerException("create state directory " + dir(id) + ": " + e.getMessage(), e);
        }
    }

    public boolean exists(String id) {
        return Files.isRegularFile(dir(id).resolve(STATE));
    }

    /** The container's record, or "does not exist" (the words podman and containerd match). */
    public ContainerRecord load(String id) {
        checkId(id);
        Path f = dir(id).resolve(STATE);
        try {
            return ContainerRecord.fromJson(Json.read(Files.readAllBytes(f), Map.class, f.toString()), f.toString());
        } catch (NoSuchFileException e) {
            throw new ContainerException("container \"" + id + "\" does not exist");
        } catch (IOException e) {
            throw new ContainerException("read " + f + ": " + e.getMessage(), e);
        }
    }

    public void save(ContainerRecord r) {
        writeAtomically(dir(r.id()).resolve(STATE), Json.writePretty(r.toJson()));
    }

    static void writeAtomically(Path target, byte[] content) {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(java.nio.ByteBuffer.wrap(content));
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new ContainerException("write " + target + ": " + e.getMessage(), e);
        }
    }

    /** Holds the container's lock until closed. */
    public AutoCloseable lock(String id) {
        Path f = dir(id).resolve(".lock");
        try {
            FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = ch.lock();
            return () -> {
                lock.release();
                ch.close();
            };
        } catch (IOException e) {
            throw new ContainerException("lock " + f + ": " + e.getMessage(), e);
        }
    }

    /** Ids of every container directory, sorted. */
    public List<String> ids() {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
            for (Path p : ds) {
                if (Files.isDirectory(p) && Files.exists(p.resolve(STATE))) {
                    out.add(p.getFileName().toString());
                }
            }
        } catch (IOException e) {
            throw new ContainerException("list " + root + ": " + e.getMessage(), e);
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    /** Removes the container's directory and everything in it. */
    public void removeDir(String id) {
        Path d = dir(id);
        if (!Files.exists(d)) {
            return;
        }
        try (Stream<Path> s = Files.walk(d)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new ContainerException("remove " + d + ": " + e.getMessage(), e);
        }
    }
}
