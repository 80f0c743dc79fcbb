package dev.nido.image.registry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body read into memory up to {@code max} bytes: manifests (a registry could otherwise
 * send gigabytes where a few kilobytes are expected) and error bodies (kept truncated).
 */
final class LimitedBytes implements BodySubscriber<byte[]> {
    private final int max;
    private final String what;
    private final boolean truncate;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private Flow.Subscription subscription;

    private LimitedBytes(int max, String what, boolean truncate) {
        this.max = max;
        this.what = what;
        this.truncate = truncate;
    }

    /** Fails with an IOException naming {@code what} if the body is larger than {@code max}. */
    static LimitedBytes atMost(int max, String what) {
        return new LimitedBytes(max, what, false);
    }

    /** Keeps the first {@code max} bytes and drops the rest. */
    static LimitedBytes firstBytes(int max) {
        return new LimitedBytes(max, "", true);
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        for (ByteBuffer b : items) {
            int room = max - out.size();
            if (b.remaining() > room && !truncate) {
                subscription.cancel();
                result.completeExceptionally(new IOException(what + " is larger than " + max + " bytes"));
                return;
            }
            int n = Math.min(room, b.remaining());
            byte[] chunk = new byte[n];
            b.get(chunk);
            out.write(chunk, 0, n);
        }
    }

    @Override
    public void onError(Throwable t) {
        result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
        result.complete(out.toByteArray());
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return result;
    }
}
