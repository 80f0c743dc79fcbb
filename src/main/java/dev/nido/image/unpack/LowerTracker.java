package dev.nido.image.unpack;

import java.util.HashSet;
import java.util.Set;

/**
 * In {@link UnpackOptions.Mode#APPLY}: the paths this layer has written so far, so that a
 * whiteout or an opaque marker removes only what lower layers left (image-spec layer.md: whiteout
 * files apply only to resources in lower layers, whatever the order of entries in the layer).
 * Paths are relative to the root and resolved: no symlink, no {@code ..}.
 */
final class LowerTracker {
    private final Set<String> written = new HashSet<>();
    /** Every directory with something written below it. */
    private final Set<String> ancestors = new HashSet<>();

    void written(String rel) {
        written.add(rel);
        int slash = rel.lastIndexOf('/');
        while (slash > 0) {
            if (!ancestors.add(rel.substring(0, slash))) {
                return; // and so were all above it
            }
            slash = rel.lastIndexOf('/', slash - 1);
        }
    }

    boolean isWritten(String rel) {
        return written.contains(rel);
    }

    boolean hasWrittenBelow(String rel) {
        return ancestors.contains(rel);
    }
}
