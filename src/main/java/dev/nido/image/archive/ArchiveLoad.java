package dev.nido.image.archive;

import dev.nido.image.ImageException;
import dev.nido.image.store.Digest;
import dev.nido.image.store.ImageStore;
import dev.nido.image.store.Reference;
import dev.nido.image.store.StoreLock;
import dev.nido.image.unpack.EntryType;
import dev.nido.image.unpack.LayerScan;
import dev.nido.image.unpack.TarEntry;
import dev.nido.image.unpack.TarReader;
import dev.nido.oci.Descriptor;
import dev.nido.oci.ImageConfig;
import dev.nido.oci.ImageIndex;
import dev.nido.oci.ImageManifest;
import dev.nido.oci.Json;
import dev.nido.oci.MediaTypes;
import dev.nido.oci.SpecException;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code nido load}: an OCI image layout as a tar ({@code oci-archive}, what {@code nido save}
 * writes) or a {@code docker save} archive, plain or compressed. Every file of the archive is
 * streamed into the content store by its digest (blobs named by digest are checked against it), so
 * the order of entries does not matter; the names come last, from {@code index.json} or
 * {@code manifest.json}.
 */
public final class ArchiveLoad {
    private static final String BLOBS = "blobs/sha256/";
    private static final long SMALL = 4 << 20;

    private ArchiveLoad() {
    }

    /**
     * Loads the archive; {@code name} replaces the archive's own names (required when it has none).
     * Returns the names stored.
     */
    public static List<String> load(ImageStore store, InputStream raw, String label, String name) {
        try (StoreLock writing = store.writing();
             TarReader tar = new TarReader(LayerScan.decompress(raw, label), label)) {
            Map<String, Digest> files = new HashMap<>();
            Set<Digest> added = new LinkedHashSet<>();
            for (TarEntry e = tar.next(); e != null; e = tar.next()) {
                if (e.type() != EntryType.FILE) {
                    continue;
                }
                String n = e.name().startsWith("./") ? e.name().substring(2) : e.name();
                Digest expected = n.startsWith(BLOBS) ? Digest.parse("sha256:" + n.substring(BLOBS.length()),
                        label + ": " + n) : null;
                boolean had = expected != null && store.content().has(expected);
                Digest d = store.content().put(new TarData(tar), expected, e.size());
                if (!had) {
                    added.add(d);
                }
                files.put(n, d);
            }
            try {
                if (files.containsKey("index.json")) {
                    return ociLayout(store, files, label, name);
                } else if (files.containsKey("manifest.json")) {
                    return dockerArchive(store, files, label, name);
                }
                throw new ImageException(label + ": neither an OCI image layout (index.json) nor a docker save archive"
                        + " (manifest.json); for a root filesystem tar use nido import");
            } catch (ImageException e) {
                added.forEach(store.content()::delete); // what this load brought and no name uses
                throw e;
            }
        } catch (IOException e) {
            throw new ImageException(label + ": " + dev.nido.image.IoErrors.describe(e), e);
        }
    }

    /** An OCI image layout directory (what skopeo copy oci:DIR writes): its blobs, then its names. */
    public static List<String> loadDirectory(ImageStore store, java.nio.file.Path dir, String name) {
        String label = dir.toString();
        if (!java.nio.file.Files.isRegularFile(dir.resolve("index.json"))) {
            throw new ImageException(label + ": not an OCI image layout (no index.json)");
        }
        try (StoreLock writing = store.writing();
             java.util.stream.Stream<java.nio.file.Path> blobs = java.nio.file.Files.list(dir.resolve("blobs/sha256"))) {
            Map<String, Digest> files = new HashMap<>();
            Set<Digest> added = new LinkedHashSet<>();
            for (java.nio.file.Path b : blobs.toList()) {
                Digest expected = Digest.parse("sha256:" + b.getFileName(), label + ": " + b);
                boolean had = store.content().has(expected);
                try (InputStream in = java.nio.file.Files.newInputStream(b)) {
                    store.content().put(in, expected, java.nio.file.Files.size(b));
                }
                if (!had) {
                    added.add(expected);
                }
            }
            byte[] index = java.nio.file.Files.readAllBytes(dir.resolve("index.json"));
            files.put("index.json", store.content().put(index));
            try {
                return ociLayout(store, files, label, name);
            } catch (ImageException e) {
                added.forEach(store.content()::delete);
                throw e;
            }
        } catch (IOException e) {
            throw new ImageException(label + ": " + dev.nido.image.IoErrors.describe(e), e);
        }
    }

    private static List<String> ociLayout(ImageStore store, Map<String, Digest> files, String label, String name) {
        ImageIndex index = json(store, files.get("index.json"), ImageIndex.class, label + ": index.json");
        List<String> out = new ArrayList<>();
        for (Descriptor d : index.manifests()) {
            Digest digest = Digest.parse(d.digest(), label + ": index.json");
            if (!store.content().has(digest)) {
                throw new ImageException(label + ": index.json names " + digest + ", which the archive does not hold");
            }
            String ref = name != null ? name : d.annotations().get(ImageStore.REF_NAME);
            if (ref == null) {
                throw new ImageException(label + ": an image without a name (annotation " + ImageStore.REF_NAME
                        + "): give one, e.g. nido load -i FILE NAME");
            }
            Reference r = Reference.parse(ref.contains("/") || ref.contains(":") || name != null ? ref : ref + ":latest");
            store.tag(r, new Descriptor(d.mediaType(), d.digest(), d.size(), List.of(), Map.of(), null, null));
            out.add(r.familiar());
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<String> dockerArchive(ImageStore store, Map<String, Digest> files, String label, String name) {
        Object doc = json(store, files.get("manifest.json"), Object.class, label + ": manifest.json");
        if (!(doc instanceof List<?> list) || list.isEmpty()) {
            throw new ImageException(label + ": manifest.json is not a list of images");
        }
        List<String> out = new ArrayList<>();
        for (Object o : list) {
            Map<String, Object> m = (Map<String, Object>) o;
            Digest cfg = file(files, (String) m.get("Config"), label);
            ImageConfig config = store.read(Descriptor.of(MediaTypes.OCI_CONFIG, cfg.toString(), 0), ImageConfig.class);
            List<Object> layerNames = (List<Object>) m.getOrDefault("Layers", List.of());
            if (layerNames.size() != config.diffIds().size()) {
                throw new ImageException(label + ": manifest.json lists " + layerNames.size() + " layers, the config "
                        + config.diffIds().size());
            }
            List<Descriptor> layers = new ArrayList<>();
            for (int i = 0; i < layerNames.size(); i++) {
                Digest l = file(files, (String) layerNames.get(i), label);
                LayerScan.Result scan;
                try (InputStream in = store.content().open(l)) {
                    scan = LayerScan.scan(in, label + ": " + layerNames.get(i));
                } catch (IOException e) {
                    throw new ImageException(label + ": " + dev.nido.image.IoErrors.describe(e), e);
                }
                if (!scan.diffId().equals(config.diffIds().get(i))) {
                    throw new ImageException(label + ": layer " + layerNames.get(i) + " has DiffID " + scan.diffId()
                            + ", the config says " + config.diffIds().get(i));
                }
                layers.add(Descriptor.of(scan.mediaType(), l.toString(), store.content().size(l)));
            }
            Descriptor c = Descriptor.of(MediaTypes.OCI_CONFIG, cfg.toString(), store.content().size(cfg));
            Descriptor manifest = store.putJson(ImageManifest.oci(c, layers, Map.of()), MediaTypes.OCI_MANIFEST);
            List<Object> tags = (List<Object>) m.getOrDefault("RepoTags", List.of());
            List<String> refs = new ArrayList<>();
            if (name != null) {
                refs.add(name);
            } else {
                tags.forEach(t -> refs.add((String) t));
            }
            if (refs.isEmpty()) {
                throw new ImageException(label + ": an image without RepoTags: give it a name, e.g. nido load -i FILE NAME");
            }
            for (String r : refs) {
                Reference ref = Reference.parse(r);
                store.tag(ref, manifest);
                out.add(ref.familiar());
            }
        }
        return out;
    }

    private static Digest file(Map<String, Digest> files, String name, String label) {
        Digest d = name == null ? null : files.get(name.startsWith("./") ? name.substring(2) : name);
        if (d == null) {
            throw new ImageException(label + ": manifest.json names \"" + name + "\", which the archive does not hold");
        }
        return d;
    }

    private static <T> T json(ImageStore store, Digest d, Class<T> type, String what) {
        if (store.content().size(d) > SMALL) {
            throw new ImageException(what + " is larger than " + SMALL + " bytes");
        }
        try {
            return Json.read(store.content().read(d), type, what);
        } catch (SpecException e) {
            throw new ImageException(e.getMessage(), e);
        }
    }

    /** The data of the tar's current entry as a stream. */
    private static final class TarData extends InputStream {
        private final TarReader tar;

        TarData(TarReader tar) {
            this.tar = tar;
        }

        @Override
        public int read() {
            byte[] b = new byte[1];
            return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            return tar.read(b, off, len);
        }
    }
}
