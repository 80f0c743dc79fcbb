package dev.nido.image.archive;

import dev.nido.image.ImageException;
import dev.nido.image.store.Digest;
import dev.nido.image.store.Image;
import dev.nido.image.store.ImageStore;
import dev.nido.image.store.Reference;
import dev.nido.image.unpack.LayerScan;
import dev.nido.image.unpack.TarEntry;
import dev.nido.image.unpack.TarWriter;
import dev.nido.oci.Descriptor;
import dev.nido.oci.ImageIndex;
import dev.nido.oci.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code nido save}: images as one tar, either an OCI image layout ({@code oci-archive}, read by
 * skopeo and umoci) or the format of {@code docker save} (docker and podman {@code load} it).
 */
public final class ArchiveSave {
    /** The two archive formats. */
    public enum Format { OCI, DOCKER }

    private ArchiveSave() {
    }

    public static void save(ImageStore store, List<Image> images, Format format, OutputStream out) {
        try (TarWriter tar = new TarWriter(out)) {
            if (format == Format.OCI) {
                oci(store, images, tar);
            } else {
                docker(store, images, tar);
            }
            tar.finish();
        }
    }

    /** The images as an OCI image layout directory (skopeo's {@code oci:DIR}); DIR must be new or empty. */
    public static void saveDirectory(ImageStore store, List<Image> images, java.nio.file.Path dir) {
        try {
            java.nio.file.Files.createDirectories(dir.resolve("blobs/sha256"));
            ImageStore out = new ImageStore(dir);
            for (Image img : images) {
                for (Digest d : blobsOf(img)) {
                    java.nio.file.Path to = out.content().path(d);
                    if (!java.nio.file.Files.exists(to)) {
                        java.nio.file.Files.copy(store.content().path(d), to);
                    }
                }
                out.tag(Reference.parse(img.name() == null ? img.id().toString() : img.name()), img.top());
            }
        } catch (IOException e) {
            throw new ImageException("save to " + dir + ": " + dev.nido.image.IoErrors.describe(e), e);
        }
    }

    private static Set<Digest> blobsOf(Image img) {
        Set<Digest> blobs = new LinkedHashSet<>();
        blobs.add(Digest.parse(img.top().digest(), "image"));
        blobs.add(Digest.parse(img.manifestDescriptor().digest(), "image"));
        blobs.add(img.id());
        img.layers().forEach(l -> blobs.add(Digest.parse(l.digest(), "layer")));
        return blobs;
    }

    private static void oci(ImageStore store, List<Image> images, TarWriter tar) {
        Set<Digest> blobs = new LinkedHashSet<>();
        List<Descriptor> manifests = new ArrayList<>();
        for (Image img : images) {
            Descriptor top = img.top();
            blobs.addAll(blobsOf(img));
            Map<String, String> a = new LinkedHashMap<>();
            if (img.name() != null) {
                a.put(ImageStore.REF_NAME, img.name());
            }
            // an index names only the platform's manifest it holds: save that manifest
            Descriptor saved = top.mediaType().equals(img.manifestDescriptor().mediaType()) ? top : img.manifestDescriptor();
            manifests.add(new Descriptor(saved.mediaType(), saved.digest(), saved.size(), List.of(), a, null, null));
        }
        small(tar, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
        small(tar, "index.json", Json.writeCompact(ImageIndex.oci(manifests)));
        tar.write(TarEntry.directory("blobs/"), new byte[0]);
        tar.write(TarEntry.directory("blobs/sha256/"), new byte[0]);
        for (Digest d : blobs) {
            blob(store, tar, "blobs/sha256/" + d.hex(), d);
        }
    }

    private static void docker(ImageStore store, List<Image> images, TarWriter tar) {
        List<Object> manifest = new ArrayList<>();
        Set<String> written = new LinkedHashSet<>();
        for (Image img : images) {
            String config = "blobs/sha256/" + img.id().hex();
            if (written.add(config)) {
                blob(store, tar, config, img.id());
            }
            List<String> layers = new ArrayList<>();
            for (int i = 0; i < img.layers().size(); i++) {
                Digest diff = Digest.parse(img.config().diffIds().get(i), "rootfs.diff_ids");
                String path = "blobs/sha256/" + diff.hex();
                layers.add(path);
                if (written.add(path)) {
                    uncompressedLayer(store, tar, path, Digest.parse(img.layers().get(i).digest(), "layer"), diff);
                }
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("Config", config);
            m.put("RepoTags", img.name() == null ? List.of() : List.of(Reference.parse(img.name()).familiar()));
            m.put("Layers", layers);
            manifest.add(m);
        }
        small(tar, "manifest.json", Json.writeCompact(manifest));
    }

    private static void small(TarWriter tar, String name, byte[] data) {
        tar.write(TarEntry.file(name, data.length).withMode(0644), data);
    }

    private static void blob(ImageStore store, TarWriter tar, String name, Digest d) {
        try (InputStream in = store.content().open(d)) {
            tar.write(TarEntry.file(name, store.content().size(d)).withMode(0644), in);
        } catch (IOException e) {
            throw new ImageException("save blob " + d + ": " + dev.nido.image.IoErrors.describe(e), e);
        }
    }

    /** docker's layers are plain tars named by DiffID: decompress (a first pass finds the size). */
    private static void uncompressedLayer(ImageStore store, TarWriter tar, String name, Digest blob, Digest diff) {
        try {
            long size;
            try (InputStream in = store.content().open(blob)) {
                size = LayerScan.scan(in, "layer " + blob).uncompressedBytes();
            }
            try (InputStream in = LayerScan.decompress(store.content().open(blob), "layer " + blob)) {
                tar.write(TarEntry.file(name, size).withMode(0644), in);
            }
        } catch (IOException e) {
            throw new ImageException("save layer " + blob + ": " + dev.nido.image.IoErrors.describe(e), e);
        }
    }
}
