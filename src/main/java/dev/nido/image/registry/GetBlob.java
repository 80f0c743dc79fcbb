package dev.nido.image.registry;

import dev.nido.image.ImageException;
import dev.nido.image.store.ContentStore;
import dev.nido.image.store.Digest;
import dev.nido.image.store.Ingest;
import dev.nido.oci.Descriptor;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;

/**
 * {@code GET /v2/NAME/blobs/DIGEST} into the content store. A partial download left by an earlier
 * attempt (or a killed nido) is resumed with {@code Range: bytes=N-}; a server that answers 200
 * instead of 206 sends the whole blob and the ingest starts again. A transfer that breaks off or
 * stalls is retried (resuming) up to {@code attempts} times; the blob is committed only when its
 * digest and size match the descriptor.
 */
final class GetBlob {
    private GetBlob() {
    }

    /** A transfer that broke off after headers (worth a retry that resumes). */
    private static final class Interrupted extends Exception {
        Interrupted(String message) {
            super(message);
        }
    }

    static void fetch(RegistryClient client, Target t, Descriptor d, ContentStore cs, Progress progress, int attempts) {
        Digest digest = Digest.parse(d.digest(), t.name() + " blob");
        long size = d.size() == null ? -1 : d.size();
        if (cs.has(digest)) {
            progress.skipped(Progress.Kind.PULL, digest, size);
            return;
        }
        try (Ingest in = cs.ingest(digest, size)) {
            if (cs.has(digest)) { // another process finished it while we waited for its lock
                progress.skipped(Progress.Kind.PULL, digest, size);
                return;
            }
            progress.start(Progress.Kind.PULL, digest, size, in.offset());
            download(client, t, digest, size, in, progress, attempts);
            progress.done(digest);
        } catch (IOException e) {
            throw new ImageException("store blob " + digest + ": " + e.getMessage(), e);
        }
    }

    /** Downloads and commits; a resumed download whose digest is wrong is tried once more from scratch. */
    private static void download(RegistryClient client, Target t, Digest digest, long size, Ingest in,
                                 Progress progress, int attempts) throws IOException {
        boolean resumed = in.offset() > 0;
        transfer(client, t, digest, size, in, progress, attempts);
        try {
            in.commit();
        } catch (ImageException e) {
            if (!resumed) {
                throw withRegistry(t, e);
            }
            progress.message("blob " + Progress.shortName(digest) + ": the resumed download does not verify; "
                    + "downloading it again from the start");
            in.restart();
            transfer(client, t, digest, size, in, progress, attempts);
            try {
                in.commit();
            } catch (ImageException again) {
                throw withRegistry(t, again);
            }
        }
    }

    private static ImageException withRegistry(Target t, ImageException e) {
        return new ImageException(e.getMessage() + " (from " + t.name() + ")", e);
    }

    private static void transfer(RegistryClient client, Target t, Digest digest, long size, Ingest in,
                                 Progress progress, int attempts) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                once(client, t, digest, size, in, progress);
                return;
            } catch (Interrupted e) {
                if (attempt >= Math.max(1, attempts)) {
                    throw new ImageException("download of blob " + digest + " from " + t.name() + " failed after "
                            + Progress.size(in.offset()) + " of " + Progress.size(size) + " (" + e.getMessage()
                            + "); pull again to resume");
                }
                progress.message("blob " + Progress.shortName(digest) + ": " + e.getMessage() + "; resuming at "
                        + Progress.size(in.offset()));
            }
        }
    }

    /** One request for the bytes from {@link Ingest#offset()} to the end. */
    private static void once(RegistryClient client, Target t, Digest digest, long size, Ingest in, Progress progress)
            throws Interrupted, IOException {
        long offset = in.offset();
        if (size >= 0 && offset == size) {
            return; // all there already: commit checks it
        }
        URI uri = client.uri(t, "/blobs/" + digest);
        Response<BlobWriter> r = client.send(t, uri, u -> range(client.request(u).GET(), offset),
                info -> BlobWriter.forResponse(info, in, offset, digest, progress));
        switch (r.status()) {
            case 200, 206 -> {
                BlobWriter w = r.body();
                if (w.restarted()) {
                    progress.message("blob " + Progress.shortName(digest) + ": the registry cannot resume downloads;"
                            + " starting again from the first byte");
                }
                try {
                    w.await(client.idleTimeout());
                } catch (java.io.InterruptedIOException e) {
                    throw new ImageException("download of blob " + digest + " interrupted", e);
                } catch (IOException e) {
                    throw new Interrupted(RegistryErrors.rootMessage(e));
                }
            }
            case 404 -> throw new ImageException("blob " + digest + " of " + t.repository() + " not found in "
                    + t.registry() + RegistryErrors.describe(r.error()) + " (the manifest names a blob the registry"
                    + " does not have)");
            case 416 -> {
                in.restart(); // our partial file is not a prefix the server can continue
                throw new Interrupted("the registry cannot resume at byte " + offset);
            }
            default -> {
                if (r.status() / 100 == 5 || r.status() == 429) {
                    throw new Interrupted("registry answered " + r.problem());
                }
                throw new ImageException("registry " + t.registry() + ": GET blob " + digest + " of " + t.repository()
                        + " answered " + r.problem());
            }
        }
    }

    private static HttpRequest.Builder range(HttpRequest.Builder b, long offset) {
        return offset > 0 ? b.header("Range", "bytes=" + offset + "-") : b;
    }
}
