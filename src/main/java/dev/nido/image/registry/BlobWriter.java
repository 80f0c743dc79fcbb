package dev.nido.image.registry;

import dev.nido.image.store.Digest;
import dev.nido.image.store.Ingest;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.ResponseInfo;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A blob's body streamed into its {@link Ingest} as it arrives (hashed on the way, so nothing is
 * read twice). The HTTP client gets this subscriber back at once from {@link #getBody()}, so the
 * caller can {@link #await} the end while watching that bytes keep coming: the JDK client has a
 * timeout for the headers but none for a body that stalls.
 */
final class BlobWriter implements BodySubscriber<BlobWriter> {
    private static final int BUFFER = 1 << 20;
    private final Ingest ingest;
    private final OutputStream out;
    private final Digest digest;
    private final Progress progress;
    /** Why this answer cannot be used (a 206 that starts elsewhere), or null. */
    private final String unusable;
    private final boolean restart;
    private final CompletableFuture<Long> finished = new CompletableFuture<>();
    private final Object lock = new Object();
    private Flow.Subscription subscription;
    private boolean cancelled;
    /** A write to the ingest failed: what is buffered must not be written again. */
    private boolean broken;
    private volatile long position;

    private BlobWriter(Ingest ingest, long offset, boolean restart, String unusable, Digest digest, Progress progress) {
        this.ingest = ingest;
        this.out = new BufferedOutputStream(ingest.output(), BUFFER);
        this.position = restart ? 0 : offset;
        this.restart = restart;
        this.unusable = unusable;
        this.digest = digest;
        this.progress = progress;
    }

    /**
     * The writer for a 200 or 206 answer to a request for the bytes from {@code offset}: a 200 to a
     * Range request means the server sends the whole blob, so the ingest starts again.
     */
    static BodySubscriber<BlobWriter> forResponse(ResponseInfo info, Ingest ingest, long offset, Digest digest,
                                                  Progress progress) {
        boolean ignoredRange = info.statusCode() == 200 && offset > 0;
        String unusable = null;
        if (info.statusCode() == 206) {
            long start = rangeStart(info.headers());
            if (start != offset) {
                unusable = "the registry resumed at byte " + start + " instead of " + offset;
            }
        }
        return new BlobWriter(ingest, offset, ignoredRange || unusable != null, unusable, digest, progress);
    }

    /** The first byte of {@code Content-Range: bytes FIRST-LAST/TOTAL}, or -1. */
    static long rangeStart(HttpHeaders headers) {
        String v = headers.firstValue("Content-Range").orElse("").trim();
        if (!v.startsWith("bytes ")) {
            return -1;
        }
        int dash = v.indexOf('-');
        try {
            return dash < 0 ? -1 : Long.parseLong(v.substring(6, dash).trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Whether the answer began the blob from its first byte (the registry ignored the Range). */
    boolean restarted() {
        return restart && unusable == null;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        synchronized (lock) {
            subscription = s;
            try {
                if (restart) {
                    ingest.restart();
                }
            } catch (IOException e) {
                fail(e);
                return;
            }
            if (unusable != null) {
                fail(new IOException(unusable));
                return;
            }
        }
        s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        long now;
        synchronized (lock) {
            if (cancelled) {
                return;
            }
            try {
                for (ByteBuffer b : items) {
                    int n = b.remaining();
                    if (b.hasArray()) {
                        out.write(b.array(), b.arrayOffset() + b.position(), n);
                    } else {
                        byte[] copy = new byte[n];
                        b.get(copy);
                        out.write(copy);
                    }
                    position += n;
                }
            } catch (IOException e) {
                broken = true;
                fail(e);
                return;
            }
            now = position;
        }
        progress.advance(digest, now);
        subscription.request(1);
    }

    @Override
    public void onError(Throwable t) {
        synchronized (lock) {
            flushQuietly(); // the bytes that did arrive are good: keep them for the resume
        }
        finished.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
        synchronized (lock) {
            try {
                out.flush();
            } catch (IOException e) {
                finished.completeExceptionally(e);
                return;
            }
        }
        finished.complete(position);
    }

    @Override
    public CompletionStage<BlobWriter> getBody() {
        return CompletableFuture.completedStage(this);
    }

    /**
     * Waits for the end of the body; fails if it broke off or nothing arrived for {@code idle}.
     * Afterwards nothing more is written to the ingest.
     */
    long await(Duration idle) throws IOException {
        long seen = -1;
        while (true) {
            try {
                return finished.get(idle.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                long now = position;
                if (now == seen) {
                    cancel();
                    throw new IOException("nothing received for " + idle.toSeconds() + " s");
                }
                seen = now;
            } catch (ExecutionException e) {
                cancel();
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            } catch (InterruptedException e) {
                cancel();
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted");
            }
        }
    }

    private void cancel() {
        synchronized (lock) {
            if (!cancelled) {
                cancelled = true;
                flushQuietly();
                if (subscription != null) {
                    subscription.cancel();
                }
            }
        }
    }

    /** Called with the lock held. */
    private void fail(IOException e) {
        cancelled = true;
        flushQuietly();
        if (subscription != null) {
            subscription.cancel();
        }
        finished.completeExceptionally(e);
    }

    private void flushQuietly() {
        if (broken) {
            return;
        }
        try {
            out.flush();
        } catch (IOException ignored) {
            // the ingest keeps what reached it; the digest check catches the rest
        }
    }
}
