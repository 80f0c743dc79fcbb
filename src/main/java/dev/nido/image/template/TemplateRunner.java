package dev.nido.image.template;

import dev.nido.image.ImageException;
import dev.nido.image.build.ImageWriter;
import dev.nido.image.store.Image;
import dev.nido.image.store.ImageStore;
import dev.nido.image.store.Reference;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Makes an image from a template: a root filesystem in a scratch directory, stored as one layer. */
public final class TemplateRunner {
    private TemplateRunner() {
    }

    public static Image create(ImageStore store, Template t, Map<String, String> options, String name, Path cacheRoot,
                               Consumer<String> log) {
        Reference ref = Reference.parse(name == null ? t.defaultImageName(options) : name);
        Path scratch = null;
        try (dev.nido.image.store.StoreLock writing = store.writing()) {
            Files.createDirectories(store.root().resolve("tmp"));
            scratch = Files.createTempDirectory(store.root().resolve("tmp"), "template-" + t.name() + "-");
            Path rootfs = scratch.resolve("rootfs");
            Files.createDirectory(rootfs);
            Files.setPosixFilePermissions(rootfs, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            Path cache = cacheRoot.resolve(t.name());
            Files.createDirectories(cache);
            t.build(rootfs, options, cache, log);
            ImageWriter.Layer layer = ImageWriter.layerOf(store, rootfs);
            return ImageWriter.commit(store, null, List.of(layer), t.config(options), "nido template " + t.name()
                    + options.entrySet().stream().map(e -> " " + e.getKey() + "=" + e.getValue()).reduce("", String::concat),
                    ref);
        } catch (IOException e) {
            throw new ImageException("template " + t.name() + ": " + dev.nido.image.IoErrors.describe(e), e);
        } finally {
            if (scratch != null) {
                removeTree(scratch);
            }
        }
    }

    static void removeTree(Path dir) {
        try {
            dev.nido.image.snapshot.Snapshots.removeTree(dir);
        } catch (RuntimeException e) {
            // a scratch directory left behind; nido system check finds it
        }
    }

    /** {@code /var/cache/nido} for root, else {@code $XDG_CACHE_HOME/nido} or {@code ~/.cache/nido}. */
    public static Path defaultCache(long uid, Map<String, String> env, String home) {
        if (uid == 0) {
            return Path.of("/var/cache/nido");
        }
        String c = env.get("XDG_CACHE_HOME");
        return c != null && !c.isEmpty() ? Path.of(c, "nido") : Path.of(home, ".cache/nido");
    }
}
