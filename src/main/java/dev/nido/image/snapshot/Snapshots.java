package dev.nido.image.snapshot;

import dev.nido.image.ImageException;
import dev.nido.image.store.Digest;
import dev.nido.image.store.Image;
import dev.nido.image.store.ImageStore;
import dev.nido.image.store.StoreLock;
import dev.nido.image.unpack.LayerUnpacker;
import dev.nido.image.unpack.UnpackOptions;
import dev.nido.oci.Descriptor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Each layer unpacked once, under {@code ROOT/snapshots/CHAINID/fs}, as an overlayfs lower layer
 * (whiteouts as overlay whiteouts). A snapshot appears by a rename of a finished directory, under a
 * per-snapshot lock, so a crash or a second process never sees half a layer; any number of
 * containers mount the same snapshots read-only beneath their own upper directories.
 */
public final class Snapshots {
    /**
     * OVERLAY: each layer alone, whiteouts as overlay whiteouts (needs root: device nodes and
     * trusted xattrs). COPY, where overlayfs cannot be used (another user, a kernel without it):
     * each snapshot is its parent's full tree copied ({@code cp -a --reflink=auto}) with the layer
     * applied, and a root filesystem is a copy of the top one.
     */
    public enum Kind { OVERLAY, COPY }

    private static final String COPY_PREFIX = "copy-";
    private final ImageStore store;
    private final Path dir;
    private final Kind kind;

    public Snapshots(ImageStore store) {
        this(store, detect(System.getenv("NIDO_SNAPSHOTTER")));
    }

    public Snapshots(ImageStore store, Kind kind) {
        this.store = store;
        this.dir = store.root().resolve("snapshots");
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** NIDO_SNAPSHOTTER (overlay or copy) if set, else overlay for root on a kernel that has it. */
    static Kind detect(String forced) {
        if (forced != null && !forced.isEmpty()) {
            return switch (forced) {
                case "overlay" -> Kind.OVERLAY;
                case "copy" -> Kind.COPY;
                default -> throw new ImageException("NIDO_SNAPSHOTTER=" + forced + ": expected overlay or copy");
            };
        }
        boolean overlay;
        try {
            overlay = Files.readString(Path.of("/proc/filesystems")).contains("\toverlay\n");
        } catch (IOException e) {
            overlay = false;
        }
        return overlay && LayerUnpacker.runningAsRoot() ? Kind.OVERLAY : Kind.COPY;
    }

    public Path dir() {
        return dir;
    }

    /** The snapshot directories of an image's layers, base first, unpacking the missing ones. */
    public List<Path> prepare(Image image, java.util.function.Consumer<String> log) {
        List<String> diffIds = image.config().diffIds();
        List<Descriptor> layers = image.layers();
        if (diffIds.size() != layers.size()) {
            throw new ImageException("image " + image.id().shortHex() + ": config lists " + diffIds.size()
                    + " layers, the manifest " + layers.size() + " (a damaged image: pull it again)");
        }
        List<Digest> chain = ChainId.of(diffIds);
        List<Path> out = new ArrayList<>();
        for (int i = 0; i < chain.size(); i++) {
            out.add(ensure(chain.get(i), layers.get(i), diffIds.get(i), i == 0 ? null : out.get(i - 1), log));
        }
        return out;
    }

    private Path ensure(Digest chainId, Descriptor layer, String diffId, Path parent,
                        java.util.function.Consumer<String> log) {
        String name = kind == Kind.COPY ? COPY_PREFIX + chainId.hex() : chainId.hex();
        Path snap = dir.resolve(name);
        Path fs = snap.resolve("fs");
        if (Files.isDirectory(fs)) {
            return fs;
        }
        try (StoreLock l = StoreLock.acquire(dir.resolve(".lock-" + chainId.hex()))) {
            if (Files.isDirectory(fs)) {
                return fs; // another process made it while we waited
            }
            Path tmp = dir.resolve(".tmp-" + name + "-" + ProcessHandle.current().pid());
            removeTree(tmp);
            Files.createDirectories(tmp);
            if (kind == Kind.COPY && parent != null) {
                copyTree(parent, tmp.resolve("fs"));
            } else {
                Files.createDirectories(tmp.resolve("fs"));
            }
            Digest blob = Digest.parse(layer.digest(), "layer");
            log.accept("unpacking " + blob.shortHex() + " (" + (layer.size() == null ? "?" : layer.size()) + " bytes)");
            try (InputStream in = store.content().open(blob)) {
                new LayerUnpacker().unpack(blob.toString(), in, tmp.resolve("fs"),
                        UnpackOptions.of(kind == Kind.COPY ? UnpackOptions.Mode.APPLY : UnpackOptions.Mode.OVERLAY)
                                .withExpectedDiffId(diffId));
            } catch (RuntimeException | IOException e) {
                removeTree(tmp);
                throw e instanceof ImageException ie ? ie : new ImageException("unpack layer " + blob + ": "
                        + e.getMessage(), e);
            }
            Files.writeString(tmp.resolve("diffid"), diffId + "\n");
            dev.nido.image.store.AtomicFiles.move(tmp, snap);
            Files.deleteIfExists(dir.resolve(".lock-" + chainId.hex()));
            return fs;
        } catch (IOException e) {
            throw new ImageException("snapshot " + chainId + ": " + dev.nido.image.IoErrors.describe(e), e);
        }
    }

    /** Snapshot ids on disk. */
    public List<Digest> list() {
        List<Digest> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                String hex = n.startsWith(COPY_PREFIX) ? n.substring(COPY_PREFIX.length()) : n;
                if (hex.length() == 64 && Files.isDirectory(p.resolve("fs"))) {
                    out.add(new Digest(hex));
                }
            }
        } catch (IOException e) {
            throw new ImageException("list " + dir + ": " + dev.nido.image.IoErrors.describe(e), e);
        }
        return out;
    }

    /**
     * Removes snapshots that neither a stored image nor {@code inUse} (containers' layers) needs,
     * and leftovers of interrupted unpacks; returns how many snapshots went.
     */
    public int prune(Set<Digest> inUse) {
        Set<Digest> keep = new HashSet<>(inUse);
        for (var e : store.names().entrySet()) {
            try {
                keep.addAll(ChainId.of(store.load(e.getKey(), e.getValue(), dev.nido.oci.Platform.host())
                        .config().diffIds()));
            } catch (ImageException ex) {
                // an image of another platform has no snapshots here
            }
        }
        int n = 0;
        for (Digest d : list()) {
            if (!keep.contains(d)) {
                for (Path p : List.of(dir.resolve(d.hex()), dir.resolve(COPY_PREFIX + d.hex()))) {
                    if (Files.exists(p)) {
                        removeTree(p);
                        n++;
                    }
                }
            }
        }
        try (Stream<Path> s = Files.exists(dir) ? Files.list(dir) : Stream.empty()) {
            for (Path p : s.toList()) {
                if (p.getFileName().toString().startsWith(".tmp-")) {
                    removeTree(p);
                }
            }
        } catch (IOException e) {
            throw new ImageException("list " + dir + ": " + dev.nido.image.IoErrors.describe(e), e);
        }
        return n;
    }

    /** cp -a (ownership, modes, links, devices, xattrs), sharing blocks where the file system can. */
    public static void copyTree(Path from, Path to) {
        run(List.of("cp", "-a", "--reflink=auto", "--no-target-directory", from.toString(), to.toString()),
                "copy " + from);
    }

    private static void run(List<String> cmd, String what) {
        try {
            Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(proc.getInputStream().readAllBytes());
            if (proc.waitFor() != 0) {
                throw new ImageException(what + ": " + out.strip());
            }
        } catch (IOException e) {
            throw new ImageException(what + ": " + dev.nido.image.IoErrors.describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageException(what + ": interrupted", e);
        }
    }

    public static void removeTree(Path p) {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Process proc = new ProcessBuilder("rm", "-rf", "--one-file-system", p.toString())
                    .redirectErrorStream(true).start();
            String out = new String(proc.getInputStream().readAllBytes());
            if (proc.waitFor() != 0) {
                throw new ImageException("remove " + p + ": " + out.strip());
            }
        } catch (IOException e) {
            throw new ImageException("remove " + p + ": " + dev.nido.image.IoErrors.describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageException("remove " + p + ": interrupted", e);
        }
    }
}
