package dev.nido.image.unpack;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads its source on a thread of its own, a few chunks ahead: decompressing and hashing a layer
 * then overlaps with writing its files (two cores: gzip layers unpack about 1.4 times as fast).
 * The source is read only by that thread, so its state (the digest) is safe to read from the
 * consumer once this stream has returned end of file: the chunk queue orders the two.
 */
final class Prefetcher extends InputStream {
    private static final int CHUNK = 1 << 20;
    private static final int AHEAD = 4;

    /** One chunk: data, or the end (length -1), or the source's failure. */
    private record Chunk(byte[] data, int length, IOException error) {
    }

    private final InputStream source;
    private final BlockingQueue<Chunk> full = new ArrayBlockingQueue<>(AHEAD + 2);
    private final BlockingQueue<byte[]> empty = new ArrayBlockingQueue<>(AHEAD + 2);
    private final Thread thread;
    private Chunk current;
    private int pos;
    private boolean done;

    Prefetcher(InputStream source, String name) {
        this.source = source;
        for (int i = 0; i < AHEAD + 1; i++) {
            empty.add(new byte[CHUNK]);
        }
        this.thread = Thread.ofPlatform().daemon().name("nido-unpack-read " + name).start(this::run);
    }

    private void run() {
        Chunk failure;
        try {
            while (true) {
                byte[] buf = empty.take();
                int n = fillChunk(buf);
                full.put(new Chunk(buf, n, null));
                if (n < 0) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            return; // closed by the consumer
        } catch (IOException e) {
            failure = new Chunk(null, -1, e);
        } catch (Throwable t) { // a decompressor's RuntimeException, an Error: the consumer must not wait forever
            failure = new Chunk(null, -1, new IOException(t.toString(), t));
        }
        try {
            full.put(failure);
        } catch (InterruptedException e) {
            // closed by the consumer
        }
    }

    /** Reads until the chunk is full or the source ends; -1 when nothing was left. */
    private int fillChunk(byte[] buf) throws IOException {
        int n = 0;
        while (n < buf.length) {
            int got = source.read(buf, n, buf.length - n);
            if (got < 0) {
                return n == 0 ? -1 : n;
            }
            n += got;
        }
        return n;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!next()) {
            return -1;
        }
        int n = Math.min(len, current.length() - pos);
        System.arraycopy(current.data(), pos, b, off, n);
        pos += n;
        return n;
    }

    /** Makes {@link #current} a chunk with bytes left; false at the end. */
    private boolean next() throws IOException {
        while (!done && (current == null || pos == current.length())) {
            if (current != null) {
                empty.add(current.data());
                current = null;
            }
            Chunk c;
            try {
                c = full.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading the layer");
            }
            if (c.error() != null) {
                done = true;
                throw c.error();
            }
            if (c.length() < 0) {
                done = true;
            } else {
                current = c;
                pos = 0;
            }
        }
        return !done;
    }

    /** Stops the reading thread (if it has not finished) and closes the source. */
    @Override
    public void close() throws IOException {
        thread.interrupt();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        source.close();
    }
}
