package dev.nido.image.store;

import dev.nido.image.ImageException;
import dev.nido.oci.Descriptor;
import dev.nido.oci.ImageConfig;
import dev.nido.oci.ImageIndex;
import dev.nido.oci.ImageManifest;
import dev.nido.oci.Json;
import dev.nido.oci.MediaTypes;
import dev.nido.oci.Platform;
import dev.nido.oci.SpecException;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The image store: an OCI image layout (image-spec image-layout.md) under {@code ROOT} — blobs in
 * {@code blobs/sha256}, names in {@code index.json} as descriptors annotated with
 * {@value #REF_NAME} — so that skopeo, umoci and others can read it as {@code oci:ROOT:NAME}.
 * Names change under {@code ROOT/lock}; {@code index.json} is replaced atomically.
 */
public final class ImageStore {
    public static final String REF_NAME = "org.opencontainers.image.ref.name";
    public static final String CREATED = "org.opencontainers.image.created";
    private final Path root;
    private final ContentStore content;

    public ImageStore(Path root) {
        this.root = root;
        this.content = new ContentStore(root);
    }

    public Path root() {
        return root;
    }

    public ContentStore content() {
        return content;
    }

    /** Held while index.json changes. */
    public StoreLock lock() {
        return StoreLock.acquire(root.resolve("lock"));
    }

    /**
     * Held (shared) by anything that stores blobs before it names them — a pull, an import, a
     * build — so that {@link #prune()}, which takes it exclusively, never deletes them in between.
     */
    public StoreLock writing() {
        return StoreLock.shared(root.resolve("gc.lock"));
    }

    /** Every name and what it points at, in the order they were stored. */
    public Map<String, Descriptor> names() {
        Map<String, Descriptor> out = new LinkedHashMap<>();
        for (Descriptor d : index().manifests()) {
            String n = d.annotations().get(REF_NAME);
            if (n != null) {
                out.put(n, d);
            }
        }
        return out;
    }

    private ImageIndex index() {
        Path f = root.resolve("index.json");
        if (!Files.exists(f)) {
            return ImageIndex.oci(List.of());
        }
        try {
            return Json.read(Files.readAllBytes(f), ImageIndex.class, f.toString());
        } catch (java.io.IOException | SpecException e) {
            throw new ImageException("read " + f + ": " + e.getMessage()
                    + " ('nido system check --repair' rebuilds it from the blobs)", e);
        }
    }

    private void writeIndex(List<Descriptor> manifests) {
        AtomicFiles.write(root.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(root.resolve("index.json"), Json.writeCompact(ImageIndex.oci(manifests)));
    }

    /** Points {@code ref} (canonical text) at {@code target}, replacing what it named before. */
    public void tag(Reference ref, Descriptor target) {
        String name = ref.toString();
        try (StoreLock l = lock()) {
            List<Descriptor> kept = new ArrayList<>();
            for (Descriptor d : index().manifests()) {
                if (!name.equals(d.annotations().get(REF_NAME))) {
                    kept.add(d);
                }
            }
            Map<String, String> a = new LinkedHashMap<>(target.annotations());
            a.put(REF_NAME, name);
            kept.add(new Descriptor(target.mediaType(), target.digest(), target.size(), List.of(), a, null, null));
            writeIndex(kept);
        }
    }

    /** Removes a name; returns whether it existed. Blobs stay until {@link #prune()}. */
    public boolean untag(Reference ref) {
        String name = ref.toString();
        try (StoreLock l = lock()) {
            List<Descriptor> kept = new ArrayList<>();
            boolean found = false;
            for (Descriptor d : index().manifests()) {
                if (name.equals(d.annotations().get(REF_NAME))) {
                    found = true;
                } else {
                    kept.add(d);
                }
            }
            if (found) {
                writeIndex(kept);
            }
            return found;
        }
    }

    /**
     * The image a user means: a name ({@code busybox}, {@code busybox:1.36}), or an id or its prefix
     * (at least 4 hex digits of the config digest, as {@code nido images} shows it).
     */
    public Image resolve(String text, Platform platform) {
        Reference ref = null;
        try {
            ref = Reference.parse(text);
        } catch (ImageException e) {
            // maybe an id
        }
        if (ref != null) {
            Descriptor d = names().get(ref.toString());
            if (d != null) {
                return load(ref.toString(), d, platform);
            }
        }
        Image byId = byId(text, platform);
        if (byId != null) {
            return byId;
        }
        throw new ImageException("image \"" + text + "\" is not in the store " + root
                + " (nido images lists what is; pull or import it first)");
    }

    private Image byId(String text, Platform platform) {
        String hex = text.startsWith("sha256:") ? text.substring(7) : text;
        if (hex.length() < 4 || !Digest.isLowerHex(hex)) {
            return null;
        }
        Image found = null;
        for (Map.Entry<String, Descriptor> e : names().entrySet()) {
            Image img = load(e.getKey(), e.getValue(), platform);
            if (img.id().hex().startsWith(hex) || Digest.parse(img.manifestDescriptor().digest(), "index.json")
                    .hex().startsWith(hex)) {
                if (found != null && !found.id().equals(img.id())) {
                    throw new ImageException("image id \"" + text + "\" is ambiguous (" + found.id().shortHex() + ", "
                            + img.id().shortHex() + "): give more digits");
                }
                found = found == null ? img : found;
            }
        }
        return found;
    }

    /** Reads the manifest (selecting the platform's from an index) and the config of a stored image. */
    public Image load(String name, Descriptor top, Platform platform) {
        Descriptor m = top;
        if (MediaTypes.isIndex(top.mediaType())) {
            ImageIndex idx = read(top, ImageIndex.class);
            m = PlatformMatch.select(idx, platform, name == null ? top.digest() : name);
        }
        if (!MediaTypes.isManifest(m.mediaType())) {
            throw new ImageException((name == null ? m.digest() : name) + ": media type " + m.mediaType()
                    + " is not an image manifest nido can run");
        }
        ImageManifest manifest = read(m, ImageManifest.class);
        ImageConfig config = read(manifest.config(), ImageConfig.class);
        return new Image(name, top, m, manifest, config);
    }

    /** A JSON blob of the store as {@code type}. */
    public <T> T read(Descriptor d, Class<T> type) {
        Digest digest = Digest.parse(d.digest(), "descriptor");
        byte[] bytes = content.read(digest);
        try {
            return Json.read(bytes, type, "blob " + digest);
        } catch (SpecException e) {
            throw new ImageException(e.getMessage(), e);
        }
    }

    /** Stores a JSON document as a blob and returns its descriptor. */
    public Descriptor putJson(Object document, String mediaType) {
        byte[] bytes = Json.writeCompact(document);
        Digest d = content.put(bytes);
        return Descriptor.of(mediaType, d.toString(), bytes.length);
    }

    /** Every blob reachable from the names: indexes, manifests, configs, layers. */
    public Set<Digest> reachable() {
        Set<Digest> out = new HashSet<>();
        for (Descriptor d : names().values()) {
            mark(d, out);
        }
        return out;
    }

    private void mark(Descriptor d, Set<Digest> out) {
        Digest digest = Digest.parse(d.digest(), "index.json");
        if (!out.add(digest) || !content.has(digest)) {
            return;
        }
        if (MediaTypes.isIndex(d.mediaType())) {
            for (Descriptor m : read(d, ImageIndex.class).manifests()) {
                mark(m, out);
            }
        } else if (MediaTypes.isManifest(d.mediaType())) {
            ImageManifest m = read(d, ImageManifest.class);
            mark(m.config(), out);
            for (Descriptor l : m.layers()) {
                out.add(Digest.parse(l.digest(), "manifest " + d.digest()));
            }
        }
    }

    /** Deletes blobs no name reaches and ingest leftovers; returns the bytes freed. */
    public long prune() {
        try (StoreLock gc = StoreLock.acquire(root.resolve("gc.lock")); StoreLock l = lock()) {
            Set<Digest> keep = reachable();
            long freed = 0;
            for (Digest d : content.list()) {
                if (!keep.contains(d)) {
                    freed += content.size(d);
                    content.delete(d);
                }
            }
            for (Path p : content.leftovers()) {
                freed += content.deleteUnlessBusy(p);
            }
            return freed;
        }
    }
}
