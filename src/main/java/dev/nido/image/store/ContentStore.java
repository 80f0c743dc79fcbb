package dev.nido.image.store;

import dev.nido.image.ImageException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Blobs addressed by their sha256 under {@code ROOT/blobs/sha256/HEX}, the layout of an OCI image
 * layout directory. A blob is only ever written through an {@link Ingest}, which checks the digest
 * (and size) of what was written before renaming it into place, so a blob that exists is whole and
 * correct; partial downloads stay in {@code ROOT/ingest} and are resumed.
 */
public final class ContentStore {
    private final Path blobs;
    private final Path ingest;

    public ContentStore(Path root) {
        this.blobs = root.resolve("blobs/sha256");
        this.ingest = root.resolve("ingest");
    }

    public Path path(Digest d) {
        return blobs.resolve(d.hex());
    }

    public boolean has(Digest d) {
        return Files.isRegularFile(path(d));
    }

    public long size(Digest d) {
        try {
            return Files.size(path(d));
        } catch (IOException e) {
            throw missing(d, e);
        }
    }

    /** A whole blob (manifests, configs: small). */
    public byte[] read(Digest d) {
        try {
            return Files.readAllBytes(path(d));
        } catch (IOException e) {
            throw missing(d, e);
        }
    }

    public InputStream open(Digest d) {
        try {
            return Files.newInputStream(path(d));
        } catch (IOException e) {
            throw missing(d, e);
        }
    }

    private ImageException missing(Digest d, IOException e) {
        if (e instanceof NoSuchFileException) {
            return new ImageException("blob " + d + " is not in the store " + blobs
                    + " (pull the image again; 'nido system check' lists what is missing)", e);
        }
        return new ImageException("blob " + d + ": " + dev.nido.image.IoErrors.describe(e), e);
    }

    /** Stores {@code content} and returns its digest. */
    public Digest put(byte[] content) {
        Digest d = Digest.of(content);
        if (!has(d)) {
            try (Ingest in = ingest(d, content.length)) {
                in.restart();
                in.output().write(content);
                in.commit();
            } catch (IOException e) {
                throw new ImageException("store blob " + d + ": " + dev.nido.image.IoErrors.describe(e), e);
            }
        }
        return d;
    }

    /** Copies a stream into the store, checking it against {@code expected} and {@code size} (-1: any). */
    public Digest put(InputStream source, Digest expected, long size) {
        if (expected != null && has(expected)) {
            return expected;
        }
        Path tmp = null;
        try {
            Files.createDirectories(ingest);
            tmp = Files.createTempFile(ingest, "stream-", ".partial");
            var md = Digest.sha256();
            long n = 0;
            try (OutputStream out = Files.newOutputStream(tmp)) {
                byte[] buf = new byte[1 << 20];
                for (int r; (r = source.read(buf)) > 0; ) {
                    md.update(buf, 0, r);
                    out.write(buf, 0, r);
                    n += r;
                }
            }
            Digest got = new Digest(java.util.HexFormat.of().formatHex(md.digest()));
            Ingest.check(expected, got, size, n);
            Files.createDirectories(blobs);
            AtomicFiles.move(tmp, path(got));
            tmp = null;
            return got;
        } catch (IOException e) {
            throw new ImageException("store blob " + (expected == null ? "" : expected + " ") + ": " + dev.nido.image.IoErrors.describe(e), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // an ingest leftover; prune removes it
                }
            }
        }
    }

    /** Something that writes a blob's bytes. */
    @FunctionalInterface
    public interface BlobWriter {
        void write(OutputStream out) throws IOException;
    }

    /**
     * Stores what {@code writer} writes (hashed on the way to an ingest file, renamed into place
     * when complete) and returns its digest and size.
     */
    public Written put(BlobWriter writer) {
        Path tmp = null;
        try {
            Files.createDirectories(ingest);
            Files.createDirectories(blobs);
            tmp = Files.createTempFile(ingest, "write-", ".partial");
            var md = Digest.sha256();
            long[] n = {0};
            try (OutputStream file = new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
                writer.write(new OutputStream() {
                    @Override
                    public void write(int b) throws IOException {
                        write(new byte[] {(byte) b}, 0, 1);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        md.update(b, off, len);
                        file.write(b, off, len);
                        n[0] += len;
                    }
                });
            }
            Digest d = new Digest(java.util.HexFormat.of().formatHex(md.digest()));
            AtomicFiles.move(tmp, path(d));
            tmp = null;
            return new Written(d, n[0]);
        } catch (IOException e) {
            throw new ImageException("store a new blob: " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // prune removes it
                }
            }
        }
    }

    /** A blob just written. */
    public record Written(Digest digest, long size) {
    }

    /** Starts or resumes writing the blob {@code expected}; see {@link Ingest}. */
    public Ingest ingest(Digest expected, long size) {
        try {
            Files.createDirectories(ingest);
            Files.createDirectories(blobs);
        } catch (IOException e) {
            throw new ImageException("create " + ingest + ": " + dev.nido.image.IoErrors.describe(e), e);
        }
        return Ingest.open(ingest.resolve(expected.hex() + ".partial"), path(expected), expected, size);
    }

    public void delete(Digest d) {
        try {
            Files.deleteIfExists(path(d));
        } catch (IOException e) {
            throw new ImageException("delete blob " + d + ": " + dev.nido.image.IoErrors.describe(e), e);
        }
    }

    /** Every blob stored. */
    public List<Digest> list() {
        List<Digest> out = new ArrayList<>();
        if (!Files.isDirectory(blobs)) {
            return out;
        }
        try (Stream<Path> s = Files.list(blobs)) {
            for (Path p : s.toList()) {
                String name = p.getFileName().toString();
                if (name.length() == 64 && Digest.isLowerHex(name)) {
                    out.add(new Digest(name));
                }
            }
        } catch (IOException e) {
            throw new ImageException("list " + blobs + ": " + dev.nido.image.IoErrors.describe(e), e);
        }
        return out;
    }

    /**
     * Deletes an ingest leftover unless a writer holds its lock (a pull in progress); returns the
     * bytes freed.
     */
    public long deleteUnlessBusy(Path leftover) {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(leftover,
                java.nio.file.StandardOpenOption.WRITE)) {
            java.nio.channels.FileLock l = ch.tryLock();
            if (l == null) {
                return 0;
            }
            long n = Files.size(leftover);
            Files.deleteIfExists(leftover);
            l.release();
            return n;
        } catch (IOException | java.nio.channels.OverlappingFileLockException e) {
            return 0;
        }
    }

    /** Partial downloads and temp files left by interrupted writes. */
    public List<Path> leftovers() {
        if (!Files.isDirectory(ingest)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(ingest)) {
            return s.toList();
        } catch (IOException e) {
            throw new ImageException("list " + ingest + ": " + dev.nido.image.IoErrors.describe(e), e);
        }
    }
}
