package dev.nido.image.build;

import dev.nido.image.ImageException;
import dev.nido.image.store.AtomicFiles;
import dev.nido.image.store.Digest;
import dev.nido.image.store.Image;
import dev.nido.image.store.ImageStore;
import dev.nido.image.store.StoreLock;
import dev.nido.oci.Descriptor;
import dev.nido.oci.Json;
import dev.nido.oci.MediaTypes;
import dev.nido.oci.Platform;
import dev.nido.oci.SpecException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The step cache: {@code ROOT/build-cache.json}, {@code {"version":1,"steps":{KEY: MANIFEST}}},
 * KEY a step's {@link #key}, MANIFEST the digest of the image the step made. Written whole by
 * rename under {@code ROOT/build-cache.lock}; read without the lock (a reader sees the old file or
 * the new one). An entry whose blobs a prune removed is a miss and is dropped at the next write.
 */
final class BuildCache {
    static final String FILE = "build-cache.json";
    private final ImageStore store;
    private final Path file;

    BuildCache(ImageStore store) {
        this.store = store;
        this.file = store.root().resolve(FILE);
    }

    /**
     * A step's key: the sha256 of the parent image's id ({@code scratch} for none), the
     * instruction after substitution, and {@code extra} (a COPY's content digest, a RUN's build
     * arguments).
     */
    static String key(String parentId, String instruction, String extra) {
        var md = Digest.sha256();
        for (String s : new String[] {parentId, instruction, extra == null ? "" : extra}) {
            md.update(s.getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** The image the step made before, if it and all its blobs are still in the store. */
    Image lookup(String key) {
        Object manifest = read().get(key);
        if (!(manifest instanceof String m)) {
            return null;
        }
        try {
            Digest d = Digest.parse(m, FILE);
            if (!store.content().has(d)) {
                return null;
            }
            Image img = store.load(null, Descriptor.of(MediaTypes.OCI_MANIFEST, m, store.content().size(d)),
                    Platform.host());
            if (!store.content().has(img.id())) {
                return null;
            }
            for (Descriptor l : img.layers()) {
                if (!store.content().has(Digest.parse(l.digest(), "layer"))) {
                    return null;
                }
            }
            return img;
        } catch (ImageException e) {
            return null; // a damaged entry is a miss
        }
    }

    /** Records that the step {@code key} made {@code image}. */
    void put(String key, Image image) {
        try (StoreLock l = StoreLock.acquire(store.root().resolve("build-cache.lock"))) {
            Map<String, Object> steps = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : read().entrySet()) {
                if (e.getValue() instanceof String m && m.startsWith("sha256:") && m.length() == 71
                        && store.content().has(new Digest(m.substring(7)))) {
                    steps.put(e.getKey(), m);
                }
            }
            steps.put(key, image.manifestDescriptor().digest());
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("version", 1);
            doc.put("steps", steps);
            AtomicFiles.write(file, Json.writeCompact(doc));
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> read() {
        if (!Files.isRegularFile(file)) {
            return Map.of();
        }
        try {
            Object doc = Json.read(Files.readAllBytes(file), Object.class, file.toString());
            if (doc instanceof Map<?, ?> m && m.get("steps") instanceof Map<?, ?> steps) {
                return (Map<String, Object>) steps;
            }
            return Map.of();
        } catch (IOException | SpecException e) {
            return Map.of(); // a damaged cache is an empty one; the next write replaces it
        }
    }
}
