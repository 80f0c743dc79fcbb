package dev.nido.image.build;

import dev.nido.image.store.ContentStore;
import dev.nido.image.store.Image;
import dev.nido.image.store.ImageStore;
import dev.nido.image.store.Reference;
import dev.nido.image.unpack.TarWriter;
import dev.nido.oci.ContainerConfig;
import dev.nido.oci.Descriptor;
import dev.nido.oci.ImageConfig;
import dev.nido.oci.ImageManifest;
import dev.nido.oci.MediaTypes;
import dev.nido.oci.Platform;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Turns directories into image layers and layers into stored, named images. */
public final class ImageWriter {
    private ImageWriter() {
    }

    /** A layer: the blob's descriptor and its DiffID. */
    public record Layer(Descriptor descriptor, String diffId) {
    }

    /** Stores the tree under {@code dir} as an uncompressed layer (its DiffID is its digest). */
    public static Layer layerOf(ImageStore store, Path dir) {
        ContentStore.Written w = store.content().put(out -> {
            TarWriter tar = new TarWriter(out);
            tar.writeTree(dir);
            tar.finish();
        });
        return new Layer(Descriptor.of(MediaTypes.OCI_LAYER, w.digest().toString(), w.size()), w.digest().toString());
    }

    /**
     * Stores the changes an overlayfs upper directory holds as an uncompressed layer (whiteouts as
     * {@code .wh.} entries); null when it holds none.
     */
    public static Layer layerOfUpper(ImageStore store, Path upper) {
        try (java.util.stream.Stream<Path> s = java.nio.file.Files.list(upper)) {
            if (s.findAny().isEmpty()) {
                return null;
            }
        } catch (java.io.IOException e) {
            throw new dev.nido.image.ImageException("read " + upper + ": " + e.getMessage(), e);
        }
        ContentStore.Written w = store.content().put(out -> {
            TarWriter tar = new TarWriter(out);
            tar.writeOverlayUpper(upper);
            tar.finish();
        });
        return new Layer(Descriptor.of(MediaTypes.OCI_LAYER, w.digest().toString(), w.size()), w.digest().toString());
    }

    /**
     * Stores a config and manifest for {@code layer} (null: a config-only step, recorded in the
     * history as an {@code empty_layer}) on top of {@code base} (null: none), without a name: the
     * caller names it, or not (a build's intermediate images). {@code author} null keeps the base's.
     */
    public static Image commitStep(ImageStore store, Image base, Layer layer, ContainerConfig config,
                                   String createdBy, String author) {
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        List<String> diffIds = new ArrayList<>(base == null ? List.of() : base.config().diffIds());
        List<Descriptor> descriptors = new ArrayList<>(base == null ? List.of() : base.layers());
        List<ImageConfig.History> history = new ArrayList<>(base == null ? List.of() : base.config().history());
        if (layer != null) {
            diffIds.add(layer.diffId());
            descriptors.add(layer.descriptor());
        }
        history.add(new ImageConfig.History(now, createdBy, null, null, layer == null ? true : null));
        Platform p = Platform.host();
        String who = author != null ? author : base == null ? null : base.config().author();
        ImageConfig cfg = new ImageConfig(now, who, p.architecture(), p.os(), p.variant(), config,
                new ImageConfig.RootFs("layers", diffIds), history);
        Descriptor c = store.putJson(cfg, MediaTypes.OCI_CONFIG);
        Descriptor m = store.putJson(ImageManifest.oci(c, descriptors, Map.of()), MediaTypes.OCI_MANIFEST);
        return store.load(null, m, p);
    }

    /**
     * Stores a config and manifest for {@code layers} on top of {@code base} (null: none) and names it.
     *
     * @param createdBy one history line per new layer ("nido template busybox")
     */
    public static Image commit(ImageStore store, Image base, List<Layer> layers, ContainerConfig config,
                               String createdBy, Reference name) {
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        List<String> diffIds = new ArrayList<>(base == null ? List.of() : base.config().diffIds());
        List<Descriptor> descriptors = new ArrayList<>(base == null ? List.of() : base.layers());
        List<ImageConfig.History> history = new ArrayList<>(base == null ? List.of() : base.config().history());
        for (Layer l : layers) {
            diffIds.add(l.diffId());
            descriptors.add(l.descriptor());
            history.add(new ImageConfig.History(now, createdBy, null, null, null));
        }
        if (layers.isEmpty()) {
            history.add(new ImageConfig.History(now, createdBy, null, null, true));
        }
        Platform p = Platform.host();
        ImageConfig cfg = new ImageConfig(now, null, p.architecture(), p.os(), p.variant(), config,
                new ImageConfig.RootFs("layers", diffIds), history);
        Descriptor c = store.putJson(cfg, MediaTypes.OCI_CONFIG);
        Descriptor m = store.putJson(ImageManifest.oci(c, descriptors, Map.of()), MediaTypes.OCI_MANIFEST);
        store.tag(name, m);
        return store.resolve(name.toString(), p);
    }
}
