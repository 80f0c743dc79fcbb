package dev.nido.image.registry;

import dev.nido.image.ImageException;
import dev.nido.image.store.Digest;

import java.io.FileNotFoundException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Flow;

/**
 * A monolithic upload (distribution spec, "pushing a blob monolithically" in two steps):
 * {@code POST /v2/NAME/blobs/uploads/} opens a session whose URL comes back in {@code Location}
 * (relative or absolute, possibly with a query of its own), then {@code PUT LOCATION?digest=D}
 * sends the whole blob; the registry checks the digest and answers 201.
 */
final class UploadBlob {
    private static final int MAX_ANSWER = 64 * 1024;

    private UploadBlob() {
    }

    static void upload(RegistryClient client, Target t, Digest digest, long size, Path file, Progress progress) {
        Response<byte[]> open = client.send(t, client.uri(t, "/blobs/uploads/"),
                u -> client.request(u).POST(HttpRequest.BodyPublishers.noBody()),
                info -> LimitedBytes.firstBytes(MAX_ANSWER));
        String location = open.header("Location").orElse(null);
        if (open.status() != 202 || location == null) {
            throw new ImageException("registry " + t.registry() + ": starting the upload of blob " + digest + " to "
                    + t.repository() + " answered " + open.problem()
                    + (open.status() == 202 ? " without a Location" : ""));
        }
        URI put = putUri(open.uri(), location, digest);
        Response<byte[]> done = client.send(t, put,
                u -> client.request(u).PUT(counting(file, digest, progress))
                        .header("Content-Type", "application/octet-stream").timeout(timeout(client, size)),
                info -> LimitedBytes.firstBytes(MAX_ANSWER));
        if (done.status() != 201) {
            throw new ImageException("registry " + t.registry() + ": upload of blob " + digest + " ("
                    + Progress.size(size) + ") to " + t.repository() + " answered " + done.problem());
        }
        String claimed = done.header("Docker-Content-Digest").orElse("");
        if (claimed.startsWith("sha256:") && !claimed.equals(digest.toString())) {
            throw new ImageException("registry " + t.registry() + " stored blob " + digest + " as " + claimed
                    + " (the upload was corrupted; push again)");
        }
    }

    /**
     * The answer to a PUT comes after the whole body went up: the usual timeout plus one second per
     * 100 kB, so that a slow link is not cut off while a hung registry still is.
     */
    static java.time.Duration timeout(RegistryClient client, long size) {
        return client.requestTimeout().plusSeconds(Math.max(0, size) / 100_000);
    }

    /** {@code location} resolved against the URI that gave it, with {@code digest=D} added to its query. */
    static URI putUri(URI answered, String location, Digest digest) {
        URI loc = answered.resolve(location.trim());
        String s = loc.toString();
        String fragment = "";
        int hash = s.indexOf('#');
        if (hash >= 0) {
            fragment = s.substring(hash);
            s = s.substring(0, hash);
        }
        String sep = loc.getRawQuery() == null ? "?" : s.endsWith("?") || s.endsWith("&") ? "" : "&";
        return URI.create(s + sep + "digest=" + URLEncoder.encode(digest.toString(), StandardCharsets.UTF_8) + fragment);
    }

    /** The file as a request body (replayable, with its length) that reports how much was sent. */
    private static BodyPublisher counting(Path file, Digest digest, Progress progress) {
        BodyPublisher inner;
        try {
            inner = HttpRequest.BodyPublishers.ofFile(file);
        } catch (FileNotFoundException e) {
            throw new ImageException("blob " + digest + " is not in the store (" + file + ")", e);
        }
        return new BodyPublisher() {
            @Override
            public long contentLength() {
                return inner.contentLength();
            }

            @Override
            public void subscribe(Flow.Subscriber<? super ByteBuffer> s) {
                inner.subscribe(new Flow.Subscriber<>() {
                    private long sent;

                    @Override
                    public void onSubscribe(Flow.Subscription sub) {
                        s.onSubscribe(sub);
                    }

                    @Override
                    public void onNext(ByteBuffer item) {
                        sent += item.remaining();
                        s.onNext(item);
                        progress.advance(digest, sent);
                    }

                    @Override
                    public void onError(Throwable e) {
                        s.onError(e);
                    }

                    @Override
                    public void onComplete() {
                        s.onComplete();
                    }
                });
            }
        };
    }
}
