package dev.nido.cli.engine;

import dev.nido.image.store.ImageStore;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the engine keeps its data: {@code --root}, else {@code NIDO_ROOT}, else {@code /var/lib/nido}
 * for root and {@code $XDG_DATA_HOME/nido} (or {@code ~/.local/share/nido}) for anyone else.
 */
final class EngineContext {
    private final Path root;
    private ImageStore images;

    EngineContext(Path root) {
        this.root = root;
    }

    static Path defaultRoot(long uid, Map<String, String> env, String home) {
        String r = env.get("NIDO_ROOT");
        if (r != null && !r.isEmpty()) {
            return Path.of(r);
        }
        if (uid == 0) {
            return Path.of("/var/lib/nido");
        }
        String data = env.get("XDG_DATA_HOME");
        return data != null && !data.isEmpty() ? Path.of(data, "nido") : Path.of(home, ".local/share/nido");
    }

    Path root() {
        return root;
    }

    synchronized ImageStore images() {
        if (images == null) {
            images = new ImageStore(root);
        }
        return images;
    }
}
