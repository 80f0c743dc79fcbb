package dev.nido.image.archive;

import dev.nido.image.ImageException;
import dev.nido.image.build.ImageWriter;
import dev.nido.image.store.ContentStore;
import dev.nido.image.store.Image;
import dev.nido.image.store.ImageStore;
import dev.nido.image.store.Reference;
import dev.nido.image.store.StoreLock;
import dev.nido.image.unpack.LayerScan;
import dev.nido.oci.ContainerConfig;
import dev.nido.oci.Descriptor;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * {@code nido import}: a root filesystem tar (plain, gzip or zstd) becomes a one-layer image. The
 * tar is stored as it is (it is the layer) after every header has been checked; a file that is not a
 * tar is refused and leaves nothing behind.
 */
public final class RootfsImport {
    private RootfsImport() {
    }

    public static Image run(ImageStore store, InputStream in, String label, Reference name, ContainerConfig config) {
        try (StoreLock writing = store.writing()) {
            ContentStore.Written w = store.content().put(out -> in.transferTo(out));
            LayerScan.Result scan;
            try (InputStream blob = store.content().open(w.digest())) {
                scan = LayerScan.scan(blob, label);
            } catch (ImageException | IOException e) {
                store.content().delete(w.digest());
                throw e instanceof ImageException ie ? ie : new ImageException(label + ": " + e.getMessage(), e);
            }
            if (scan.entries() == 0) {
                store.content().delete(w.digest());
                throw new ImageException(label + ": the archive is empty (expected a tar of a root filesystem)");
            }
            ImageWriter.Layer layer = new ImageWriter.Layer(
                    Descriptor.of(scan.mediaType(), w.digest().toString(), w.size()), scan.diffId());
            return ImageWriter.commit(store, null, List.of(layer), config, "nido import " + label, name);
        }
    }
}
