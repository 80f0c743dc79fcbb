package dev.nido.image.check;

import dev.nido.image.ImageException;
import dev.nido.image.snapshot.Rootfs;
import dev.nido.image.snapshot.Snapshots;
import dev.nido.image.store.Digest;
import dev.nido.image.store.ImageStore;
import dev.nido.image.store.StoreLock;
import dev.nido.linux.Syscalls;
import dev.nido.oci.Descriptor;
import dev.nido.oci.ImageIndex;
import dev.nido.oci.ImageManifest;
import dev.nido.oci.MediaTypes;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code nido system check}: what a crash or a damaged disk can leave in the image store, found
 * by looking at everything (names that reach missing blobs, blobs whose content is not their
 * digest, partial downloads, half-unpacked snapshots, scratch directories, mounts that are gone),
 * and with {@code repair}, removed. Holds the store's locks, so no pull or prune runs meanwhile.
 */
public final class StoreCheck {
    private final ImageStore store;
    private final Syscalls sys;
    private final Findings found;

    private StoreCheck(ImageStore store, Syscalls sys, boolean repair) {
        this.store = store;
        this.sys = sys;
        this.found = new Findings(repair);
    }

    public static List<Findings.Problem> run(ImageStore store, Syscalls sys, boolean repair) {
        StoreCheck c = new StoreCheck(store, sys, repair);
        try (StoreLock gc = StoreLock.acquire(store.root().resolve("gc.lock"))) {
            c.blobs();
            c.names();
            c.ingest();
            c.snapshots();
            c.scratch();
            c.mounts();
        }
        return c.found.list();
    }

    private void problem(String what, Path path, Runnable fix) {
        found.problem(what, path, fix);
    }

    private void blobs() {
        for (Digest d : store.content().list()) {
            Path p = store.content().path(d);
            Digest actual = hash(p);
            if (!actual.equals(d)) {
                problem("blob " + d + " holds content with digest " + actual + " (corrupt)", p,
                        () -> store.content().delete(d));
            }
        }
    }

    private static Digest hash(Path p) {
        var md = Digest.sha256();
        try (InputStream in = Files.newInputStream(p)) {
            byte[] buf = new byte[1 << 20];
            for (int r; (r = in.read(buf)) > 0; ) {
                md.update(buf, 0, r);
            }
        } catch (IOException e) {
            throw new ImageException("read " + p + ": " + e.getMessage(), e);
        }
        return new Digest(HexFormat.of().formatHex(md.digest()));
    }

    private void names() {
        Map<String, Descriptor> names;
        try {
            names = store.names();
        } catch (ImageException e) {
            problem("index.json cannot be read: " + e.getMessage(), store.root().resolve("index.json"), null);
            return;
        }
        for (Map.Entry<String, Descriptor> e : names.entrySet()) {
            String missing = missing(e.getValue());
            if (missing != null) {
                String name = e.getKey();
                problem("image " + name + " needs blob " + missing + ", which is not in the store (pull it again)",
                        store.root().resolve("index.json"),
                        () -> store.untag(dev.nido.image.store.Reference.parse(name)));
            }
        }
    }

    /** The first blob {@code d} reaches that is absent, or null. */
    private String missing(Descriptor d) {
        Digest digest = Digest.parse(d.digest(), "index.json");
        if (!store.content().has(digest)) {
            return digest.toString();
        }
        try {
            if (MediaTypes.isIndex(d.mediaType())) {
                for (Descriptor m : store.read(d, ImageIndex.class).manifests()) {
                    if (store.content().has(Digest.parse(m.digest(), "index"))) {
                        String inner = missing(m);
                        if (inner != null) {
                            return inner;
                        }
                    } // an index may list platforms that were not pulled
                }
            } else if (MediaTypes.isManifest(d.mediaType())) {
                ImageManifest m = store.read(d, ImageManifest.class);
                List<Descriptor> all = new ArrayList<>(m.layers());
                all.add(m.config());
                for (Descriptor x : all) {
                    if (!store.content().has(Digest.parse(x.digest(), "manifest"))) {
                        return x.digest();
                    }
                }
            }
        } catch (ImageException ex) {
            return digest + " (unreadable: " + ex.getMessage() + ")";
        }
        return null;
    }

    private void ingest() {
        for (Path p : store.content().leftovers()) {
            problem("partial download or write " + p.getFileName() + " (a pull or import that was interrupted)", p,
                    () -> store.content().deleteUnlessBusy(p));
        }
    }

    private void snapshots() {
        for (Path p : list(store.root().resolve("snapshots"))) {
            String n = p.getFileName().toString();
            if (n.startsWith(".tmp-")) {
                problem("half-unpacked layer " + n, p, () -> Snapshots.removeTree(p));
            } else if (n.length() == 64 && !Files.isDirectory(p.resolve("fs"))) {
                problem("snapshot " + n + " has no fs directory", p, () -> Snapshots.removeTree(p));
            }
        }
    }

    private void scratch() {
        for (Path p : list(store.root().resolve("tmp"))) {
            problem("scratch directory " + p.getFileName() + " of an interrupted template, build or export", p,
                    () -> Rootfs.remove(sys, p));
        }
    }

    private void mounts() {
        for (Path p : list(store.root().resolve("mounts"))) {
            if (!Rootfs.isCopy(p) && !Rootfs.mounted(p.resolve("rootfs"))) {
                problem("image mount " + p.getFileName() + " is no longer mounted", p, () -> Rootfs.remove(sys, p));
            }
        }
    }

    private static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !p.getFileName().toString().startsWith(".lock-")).sorted().toList();
        } catch (IOException e) {
            throw new ImageException("list " + dir + ": " + e.getMessage(), e);
        }
    }
}
