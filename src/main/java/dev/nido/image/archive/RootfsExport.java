package dev.nido.image.archive;

import dev.nido.image.snapshot.Rootfs;
import dev.nido.image.snapshot.Snapshots;
import dev.nido.image.store.Image;
import dev.nido.image.store.ImageStore;
import dev.nido.image.unpack.TarWriter;
import dev.nido.linux.Syscalls;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code nido export}: an image's root filesystem, all layers merged, as one plain tar (what
 * {@code nido import} takes back). The merged view is an overlay mount of the image's snapshots.
 */
public final class RootfsExport {
    private RootfsExport() {
    }

    public static void export(Syscalls sys, ImageStore store, Image image, OutputStream out,
                              java.util.function.Consumer<String> log) throws IOException {
        Files.createDirectories(store.root().resolve("tmp"));
        Path dir = Files.createTempDirectory(store.root().resolve("tmp"), "export-");
        try {
            Path rootfs = Rootfs.create(sys, new Snapshots(store), image, dir, log);
            try (TarWriter tar = new TarWriter(out)) {
                tar.writeTree(rootfs);
                tar.finish();
            }
        } finally {
            Rootfs.remove(sys, dir);
        }
    }
}
