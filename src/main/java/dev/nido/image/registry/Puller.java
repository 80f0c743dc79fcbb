package dev.nido.image.registry;

import dev.nido.image.ImageException;
import dev.nido.image.store.ContentStore;
import dev.nido.image.store.Digest;
import dev.nido.image.store.Image;
import dev.nido.image.store.ImageStore;
import dev.nido.image.store.PlatformMatch;
import dev.nido.image.store.Reference;
import dev.nido.oci.Descriptor;
import dev.nido.oci.ImageIndex;
import dev.nido.oci.ImageManifest;
import dev.nido.oci.Json;
import dev.nido.oci.MediaTypes;
import dev.nido.oci.Platform;
import dev.nido.oci.SpecException;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Pulls an image into the store. Order, so that a kill -9 anywhere leaves a consistent store:
 * the manifest (and index) are fetched and verified but kept in memory; config and layers are
 * downloaded (4 at a time) into ingests that commit only whole and verified blobs; then the
 * manifest and index are stored; the name is written last. What a killed pull leaves behind is
 * partial ingests (resumed by the next pull) and unnamed blobs (which {@code prune} removes).
 *
 * <p>Names: {@code REGISTRY/REPO:TAG} for a reference with a tag (a digest given with it is
 * checked, not stored); {@code REGISTRY/REPO@sha256:…} for a digest-only reference.
 */
public final class Puller {
    /** Blob transfers at once. */
    public static final int PARALLEL = 4;
    private final RegistryClient client;
    private final int attempts;

    public Puller(RegistryClient client) {
        this(client, 3);
    }

    /** @param attempts how many times a blob transfer that breaks off is tried (resuming), at least 1 */
    public Puller(RegistryClient client, int attempts) {
        this.client = client;
        this.attempts = Math.max(1, attempts);
    }

    /** Pulls {@code ref} for {@code platform} and returns it as stored. */
    public Image pull(Reference ref, Platform platform, ImageStore store, Progress progress) {
        // blobs are stored before the name: keep a prune from removing them in between
        try (dev.nido.image.store.StoreLock writing = store.writing()) {
            return pullLocked(ref, platform, store, progress);
        }
    }

    private Image pullLocked(Reference ref, Platform platform, ImageStore store, Progress progress) {
        Target t = Target.pull(ref);
        String what = describe(ref);
        String reference = ref.digest() != null ? ref.digest().toString() : ref.tag();
        GetManifest.Fetched top = GetManifest.fetch(client, t, reference, what);
        if (ref.digest() != null && !ref.digest().equals(top.digest())) {
            throw new ImageException(ref.registry() + "/" + what + ": the registry sent a manifest with digest "
                    + top.digest() + " (corrupt or tampered; nothing was stored)");
        }
        GetManifest.Fetched manifest = top;
        if (top.isIndex()) {
            ImageIndex index = parse(top, ImageIndex.class, ref);
            Descriptor chosen = PlatformMatch.select(index, platform, ref.familiar());
            manifest = child(t, ref, chosen);
        }
        ImageManifest m = parse(manifest, ImageManifest.class, ref);
        List<Descriptor> blobs = blobs(m, ref, manifest.digest());
        ContentStore cs = store.content();
        Parallel.run(blobs, PARALLEL, d -> GetBlob.fetch(client, t, d, cs, progress, attempts));
        cs.put(manifest.bytes());
        cs.put(top.bytes());
        Reference name = ref.tag() != null ? ref.withTag(ref.tag())
                : new Reference(ref.registry(), ref.repository(), null, top.digest());
        store.tag(name, top.descriptor());
        Image image = store.load(name.toString(), top.descriptor(), platform);
        warnIfOtherPlatform(image, platform, ref, progress);
        return image;
    }

    /** {@code REPO:TAG} or {@code REPO@sha256:…}, as "not found" messages name it. */
    static String describe(Reference ref) {
        return ref.repository() + (ref.digest() != null ? "@" + ref.digest() : ":" + ref.tag());
    }

    /** The platform's manifest named by an index, fetched by digest and checked against the descriptor. */
    private GetManifest.Fetched child(Target t, Reference ref, Descriptor d) {
        Digest want = Digest.parse(d.digest(), ref.familiar() + " index");
        if (!MediaTypes.isManifest(d.mediaType())) {
            throw new ImageException(ref.familiar() + ": the index names " + d.digest() + " as " + d.mediaType()
                    + ", which is not an image manifest nido knows");
        }
        GetManifest.Fetched f = GetManifest.fetch(client, t, want.toString(), ref.repository() + "@" + want);
        if (!f.digest().equals(want) || d.size() != null && d.size() != f.bytes().length) {
            throw new ImageException(ref.familiar() + ": the index names manifest " + want + " (" + d.size()
                    + " bytes) but the registry sent " + f.digest() + " (" + f.bytes().length
                    + " bytes; corrupt or tampered, nothing was stored)");
        }
        if (!MediaTypes.isManifest(f.mediaType())) {
            throw new ImageException(ref.familiar() + ": manifest " + want + " is a " + f.mediaType()
                    + ", not an image manifest (nested indexes are not supported)");
        }
        return f;
    }

    private static <T> T parse(GetManifest.Fetched f, Class<T> type, Reference ref) {
        try {
            return Json.read(f.bytes(), type, ref.familiar() + " manifest " + f.digest());
        } catch (SpecException e) {
            throw new ImageException(e.getMessage(), e);
        }
    }

    /** Config first, then the layers, each once. */
    private static List<Descriptor> blobs(ImageManifest m, Reference ref, Digest manifest) {
        String where = ref.familiar() + " manifest " + manifest;
        if (m.config() == null || m.config().digest() == null) {
            throw new ImageException(where + ": no config");
        }
        Set<String> seen = new LinkedHashSet<>();
        List<Descriptor> out = new ArrayList<>();
        for (Descriptor d : concat(m.config(), m.layers())) {
            Digest.parse(d.digest(), where);
            if (seen.add(d.digest())) {
                out.add(d);
            }
        }
        return out;
    }

    private static List<Descriptor> concat(Descriptor first, List<Descriptor> rest) {
        List<Descriptor> all = new ArrayList<>(rest.size() + 1);
        all.add(first);
        all.addAll(rest);
        return all;
    }

    private static void warnIfOtherPlatform(Image image, Platform want, Reference ref, Progress progress) {
        String os = image.config().os();
        String arch = image.config().architecture();
        if (os != null && arch != null && (!os.equals(want.os()) || !arch.equals(want.architecture()))) {
            progress.message("warning: " + ref.familiar() + " is an image for " + os + "/" + arch + ", not "
                    + want.os() + "/" + want.architecture());
        }
    }
}
