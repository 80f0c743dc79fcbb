package dev.nido.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the state directory is when {@code --root} is not given: {@code /run/nido} for root; for
 * any other user {@code $XDG_RUNTIME_DIR/nido} (as runc and crun do), else {@code /run/user/UID/nido}
 * when that directory exists.
 */
public final class StateRoot {
    /** The state root of the superuser. */
    public static final Path SYSTEM = Path.of("/run/nido");

    private StateRoot() {
    }

    /** The default for the user the JVM runs as. */
    public static Path defaultRoot() {
        return defaultFor(Identity.uid(), System.getenv());
    }

    /** The default for {@code uid} with environment {@code env}; a user without either gets a message. */
    public static Path defaultFor(long uid, Map<String, String> env) {
        if (uid == 0) {
            return SYSTEM;
        }
        String xdg = env.get("XDG_RUNTIME_DIR");
        if (xdg != null && !xdg.isEmpty()) {
            return Path.of(xdg, "nido");
        }
        Path perUser = Path.of("/run/user", Long.toString(uid));
        if (Files.isDirectory(perUser)) {
            return perUser.resolve("nido");
        }
        throw new ContainerException("no state directory for uid " + uid + ": /run/nido is root's, XDG_RUNTIME_DIR is not set"
                + " and " + perUser + " does not exist (set XDG_RUNTIME_DIR, or pass --root DIR)");
    }
}
