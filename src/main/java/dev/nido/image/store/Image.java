package dev.nido.image.store;

import dev.nido.oci.Descriptor;
import dev.nido.oci.ImageConfig;
import dev.nido.oci.ImageManifest;

import java.util.List;

/**
 * An image resolved from the store: the name it was found by (null when found by id), the
 * manifest for this platform and its configuration.
 *
 * @param name     the reference it is stored under, canonical, or null
 * @param top      the descriptor the name points at (a manifest, or an index holding it)
 * @param manifest the descriptor of the platform's manifest
 */
public record Image(String name, Descriptor top, Descriptor manifestDescriptor, ImageManifest manifest,
                    ImageConfig config) {
    /** The image id as Docker shows it: the config's digest. */
    public Digest id() {
        return Digest.parse(manifest.config().digest(), "manifest " + manifestDescriptor.digest() + " config");
    }

    public List<Descriptor> layers() {
        return manifest.layers();
    }

    /** Compressed size of config and layers. */
    public long size() {
        long n = manifest.config().size() == null ? 0 : manifest.config().size();
        for (Descriptor d : manifest.layers()) {
            n += d.size() == null ? 0 : d.size();
        }
        return n;
    }
}
