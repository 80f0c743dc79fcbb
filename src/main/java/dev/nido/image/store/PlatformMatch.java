package dev.nido.image.store;

import dev.nido.image.ImageException;
import dev.nido.oci.Descriptor;
import dev.nido.oci.ImageIndex;
import dev.nido.oci.Platform;

import java.util.ArrayList;
import java.util.List;

/** Picks the manifest for a platform out of an index (a Docker manifest list). */
public final class PlatformMatch {
    private PlatformMatch() {
    }

    public static Descriptor select(ImageIndex index, Platform want, String what) {
        Descriptor loose = null;
        List<String> offered = new ArrayList<>();
        for (Descriptor d : index.manifests()) {
            Platform p = d.platform();
            if (p == null) {
                continue;
            }
            offered.add(p.toString());
            if (!want.os().equals(p.os()) || !want.architecture().equals(p.architecture())) {
                continue;
            }
            if (want.variant() == null || want.variant().equals(p.variant())) {
                if (want.variant() != null || p.variant() == null || defaultVariant(p)) {
                    return d;
                }
                loose = loose == null ? d : loose;
            }
        }
        if (loose != null) {
            return loose;
        }
        throw new ImageException(what + ": no image for " + want + " (it has: "
                + (offered.isEmpty() ? "no platforms" : String.join(", ", offered)) + "); choose one with --platform");
    }

    private static boolean defaultVariant(Platform p) {
        return "arm64".equals(p.architecture()) && "v8".equals(p.variant());
    }
}
