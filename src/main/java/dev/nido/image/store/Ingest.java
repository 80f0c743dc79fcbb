package dev.nido.image.store;

import dev.nido.image.ImageException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * One blob being written: {@code ingest/HEX.partial}, locked while open (a second writer of the
 * same blob waits), resumed from its current length (a pull killed half way goes on where it
 * stopped: {@link #offset()} is what a registry Range request starts from), hashed as it grows, and
 * renamed into {@code blobs/} by {@link #commit()} only if digest and size match.
 */
public final class Ingest implements AutoCloseable {
    private final Path partial;
    private final Path target;
    private final Digest expected;
    private final long size;
    private final FileChannel channel;
    private final FileLock lock;
    private final MessageDigest md;
    private long written;
    private boolean committed;
    /** Another process stored the blob while this one waited for the lock. */
    private boolean complete;

    private Ingest(Path partial, Path target, Digest expected, long size, FileChannel channel, FileLock lock,
                   MessageDigest md, long written) {
        this.partial = partial;
        this.target = target;
        this.expected = expected;
        this.size = size;
        this.channel = channel;
        this.lock = lock;
        this.md = md;
        this.written = written;
    }

    static Ingest open(Path partial, Path target, Digest expected, long size) {
        FileChannel ch = null;
        try {
            ch = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
            FileLock lock = lockOf(ch, partial);
            if (Files.exists(target)) {
                // the writer we waited for committed: our channel may now be the stored blob itself
                Ingest done = new Ingest(partial, target, expected, size, ch, lock, Digest.sha256(), Files.size(target));
                done.complete = true;
                done.committed = true;
                return done;
            }
            MessageDigest md = Digest.sha256();
            long have = ch.size();
            if (size >= 0 && have > size) { // longer than the blob can be: start again
                ch.truncate(0);
                have = 0;
            }
            try (InputStream in = Files.newInputStream(partial)) {
                byte[] buf = new byte[1 << 20];
                long left = have;
                while (left > 0) {
                    int r = in.read(buf, 0, (int) Math.min(buf.length, left));
                    if (r < 0) {
                        break;
                    }
                    md.update(buf, 0, r);
                    left -= r;
                }
            }
            ch.position(have);
            return new Ingest(partial, target, expected, size, ch, lock, md, have);
        } catch (IOException e) {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // nothing more to do
                }
            }
            throw new ImageException("open " + partial + ": " + dev.nido.image.IoErrors.describe(e), e);
        }
    }

    private static FileLock lockOf(FileChannel ch, Path partial) throws IOException {
        try {
            return ch.lock();
        } catch (OverlappingFileLockException e) {
            throw new IOException("blob is being written by this process already: " + partial, e);
        }
    }

    /** Bytes already there (resume from here). */
    public long offset() {
        return written;
    }

    /** Where to write the rest; every byte is hashed. */
    public OutputStream output() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (complete) {
                    throw new IOException("blob " + expected + " is stored already");
                }
                java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(b, off, len);
                while (buf.hasRemaining()) {
                    channel.write(buf);
                }
                md.update(b, off, len); // only what reached the file: a failed write leaves them in step
                written += len;
            }
        };
    }

    /** Whether the blob was stored by another writer while this one waited: nothing to do. */
    public boolean complete() {
        return complete;
    }

    /** Starts again from nothing (the server ignored a Range request). */
    public void restart() throws IOException {
        if (complete) {
            return;
        }
        channel.truncate(0);
        channel.position(0);
        md.reset();
        written = 0;
    }

    /** Checks digest and size, makes the data durable, renames it into the store. */
    public void commit() throws IOException {
        if (complete) {
            return;
        }
        Digest got = new Digest(HexFormat.of().formatHex(md.digest()));
        try {
            check(expected, got, size, written);
        } catch (ImageException e) {
            channel.truncate(0); // a wrong download is not resumed
            throw e;
        }
        channel.force(true);
        AtomicFiles.move(partial, target);
        committed = true;
    }

    static void check(Digest expected, Digest got, long size, long n) {
        if (size >= 0 && n != size) {
            throw new ImageException("blob " + (expected != null ? expected : got) + ": got " + n + " bytes, expected "
                    + size);
        }
        if (expected != null && !expected.equals(got)) {
            throw new ImageException("blob " + expected + ": content has digest " + got + " (corrupt or tampered;"
                    + " nothing was stored)");
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
            if (!committed && written == 0) {
                Files.deleteIfExists(partial);
            }
        } catch (IOException e) {
            // the partial file stays for a resume or a prune
        }
    }
}
