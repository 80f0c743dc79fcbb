package dev.nido.image.registry;

import dev.nido.image.ImageException;
import dev.nido.image.store.ContentStore;
import dev.nido.image.store.Digest;
import dev.nido.image.store.Image;
import dev.nido.image.store.ImageStore;
import dev.nido.image.store.Reference;
import dev.nido.oci.Descriptor;
import dev.nido.oci.ImageIndex;
import dev.nido.oci.ImageManifest;
import dev.nido.oci.MediaTypes;
import dev.nido.oci.Platform;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Pushes an image of the store: every blob the registry lacks ({@code HEAD}, then a monolithic
 * upload; 4 at a time), then the manifest byte for byte, so its digest stays what it is locally.
 * A name pointing at an index whose manifests are all in the store is pushed whole (each manifest
 * by digest, then the index under the tag); if some are missing (a pull stores only its
 * platform's), the manifest for {@code platform} is pushed alone under the tag.
 */
public final class Pusher {
    private final RegistryClient client;

    public Pusher(RegistryClient client) {
        this.client = client;
    }

    /**
     * @param localImage a name or id of the store ({@link ImageStore#resolve})
     * @param remote     where to push: a tag, or a digest that must be the image's
     * @return what {@code remote} now points at in the registry (media type, digest, size)
     */
    public Descriptor push(ImageStore store, String localImage, Reference remote, Platform platform,
                           Progress progress) {
        Image image = store.resolve(localImage, platform);
        Descriptor top = plain(image.top());
        Target t = Target.push(remote);
        if (MediaTypes.isIndex(top.mediaType())) {
            ImageIndex index = store.read(top, ImageIndex.class);
            List<String> missing = new ArrayList<>();
            for (Descriptor m : index.manifests()) {
                if (!store.content().has(Digest.parse(m.digest(), localImage + " index"))) {
                    missing.add(m.platform() != null ? m.platform().toString() : m.digest());
                }
            }
            if (missing.isEmpty()) {
                pushTree(store, t, top, reference(remote, top), progress);
                return top;
            }
            Descriptor m = plain(image.manifestDescriptor());
            progress.message(localImage + ": the store lacks the manifests for " + String.join(", ", missing)
                    + " of its index; pushing the " + platform + " manifest alone");
            pushTree(store, t, m, reference(remote, m), progress);
            return m;
        }
        pushTree(store, t, top, reference(remote, top), progress);
        return top;
    }

    /** The tag to push under, or the digest if the remote reference has only that (it must match). */
    private static String reference(Reference remote, Descriptor d) {
        if (remote.tag() != null) {
            return remote.tag();
        }
        if (!remote.digest().toString().equals(d.digest())) {
            throw new ImageException("cannot push to " + remote.familiar() + ": the image is " + d.digest()
                    + " (push to a tag, or to the digest the image has)");
        }
        return d.digest();
    }

    /** A descriptor without the store's annotations (the ref name). */
    private static Descriptor plain(Descriptor d) {
        return new Descriptor(d.mediaType(), d.digest(), d.size(), List.of(), java.util.Map.of(), null, null);
    }

    /** What a manifest needs first (its blobs, an index's manifests), then the manifest itself. */
    private void pushTree(ImageStore store, Target t, Descriptor d, String reference, Progress progress) {
        ContentStore cs = store.content();
        if (MediaTypes.isIndex(d.mediaType())) {
            for (Descriptor m : store.read(d, ImageIndex.class).manifests()) {
                pushTree(store, t, m, m.digest(), progress);
            }
        } else if (MediaTypes.isManifest(d.mediaType())) {
            pushBlobs(store, t, store.read(d, ImageManifest.class), d.digest(), progress);
        } else {
            throw new ImageException("cannot push " + d.digest() + ": media type " + d.mediaType()
                    + " is not an image manifest or index");
        }
        byte[] bytes = cs.read(Digest.parse(d.digest(), "manifest"));
        PutManifest.put(client, t, reference, d.mediaType(), bytes);
    }

    private void pushBlobs(ImageStore store, Target t, ImageManifest m, String manifest, Progress progress) {
        ContentStore cs = store.content();
        Set<String> seen = new LinkedHashSet<>();
        List<Descriptor> blobs = new ArrayList<>();
        List<Descriptor> all = new ArrayList<>();
        all.add(m.config());
        all.addAll(m.layers());
        for (Descriptor d : all) {
            Digest digest = Digest.parse(d.digest(), "manifest " + manifest);
            if (!seen.add(d.digest())) {
                continue;
            }
            if (!cs.has(digest)) {
                if (!d.urls().isEmpty()) {
                    progress.message("not pushing foreign layer " + d.digest() + " (it is fetched from its URLs)");
                    continue;
                }
                throw new ImageException("blob " + d.digest() + " of manifest " + manifest
                        + " is not in the store; pull or build the image again");
            }
            blobs.add(d);
        }
        Parallel.run(blobs, Puller.PARALLEL, d -> pushBlob(cs, t, d, progress));
    }

    private void pushBlob(ContentStore cs, Target t, Descriptor d, Progress progress) {
        Digest digest = Digest.parse(d.digest(), "manifest");
        long size = d.size() != null ? d.size() : cs.size(digest);
        if (CheckBlob.exists(client, t, digest)) {
            progress.skipped(Progress.Kind.PUSH, digest, size);
            return;
        }
        progress.start(Progress.Kind.PUSH, digest, size, 0);
        UploadBlob.upload(client, t, digest, size, cs.path(digest), progress);
        progress.done(digest);
    }
}
