package dev.nido.image.unpack;

import dev.nido.image.ImageException;
import io.airlift.compress.zstd.ZstdInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;

/**
 * A layer blob as the uncompressed tar stream: the compression is told by the first bytes, not
 * by the media type (registries mislabel, and docker's own layers are plain tars), and the
 * DiffID, the sha256 of the uncompressed stream (image-spec config.md, {@code rootfs.diff_ids}),
 * is computed while it is read.
 */
final class LayerInput extends FilterInputStream {
    /** The compressions a layer may have, by magic number. */
    enum Compression {
        NONE, GZIP, ZSTD
    }

    /** gzip's inflater reads compressed input in chunks of this size. */
    private static final int GZIP_BUFFER = 1 << 16;

    private final MessageDigest sha256;
    private final Compression compression;
    private long count;

    private LayerInput(InputStream uncompressed, Compression compression) {
        super(uncompressed);
        this.compression = compression;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** Opens {@code raw} (gzip, zstd or a plain tar); {@code label} names it in errors. */
    static LayerInput open(InputStream raw, String label) {
        PushbackInputStream in = new PushbackInputStream(raw, 6);
        byte[] magic = new byte[6];
        int n;
        try {
            n = in.readNBytes(magic, 0, magic.length);
            in.unread(magic, 0, n);
        } catch (IOException e) {
            throw new ImageException(label + ": reading the layer: " + e.getMessage(), e);
        }
        Compression c = detect(magic, n, label);
        try {
            InputStream tar = switch (c) {
                case GZIP -> new GZIPInputStream(in, GZIP_BUFFER);
                case ZSTD -> new ZstdInputStream(in);
                case NONE -> in;
            };
            return new LayerInput(tar, c);
        } catch (IOException e) {
            throw new ImageException(label + ": reading the gzip header: " + e.getMessage(), e);
        }
    }

    static Compression detect(byte[] magic, int n, String label) {
        if (n >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            return Compression.GZIP;
        }
        if (n >= 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5 && (magic[2] & 0xff) == 0x2f
                && (magic[3] & 0xff) == 0xfd) {
            return Compression.ZSTD;
        }
        if (n >= 3 && magic[0] == 'B' && magic[1] == 'Z' && magic[2] == 'h') {
            throw new ImageException(label + ": bzip2-compressed layers are not supported (gzip, zstd or plain tar)");
        }
        if (n >= 6 && (magic[0] & 0xff) == 0xfd && magic[1] == '7' && magic[2] == 'z' && magic[3] == 'X'
                && magic[4] == 'Z' && magic[5] == 0) {
            throw new ImageException(label + ": xz-compressed layers are not supported (gzip, zstd or plain tar)");
        }
        return Compression.NONE;
    }

    Compression compression() {
        return compression;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            sha256.update((byte) b);
            count++;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            sha256.update(b, off, n);
            count += n;
        }
        return n;
    }

    /** Skips by reading, so that skipped bytes count in the digest. */
    @Override
    public long skip(long n) throws IOException {
        byte[] scratch = new byte[(int) Math.min(n, 1 << 16)];
        long left = n;
        while (left > 0) {
            int got = read(scratch, 0, (int) Math.min(left, scratch.length));
            if (got < 0) {
                break;
            }
            left -= got;
        }
        return n - left;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** The uncompressed bytes read so far. */
    long count() {
        return count;
    }

    /** {@code sha256:<hex>} of everything read; call once, at the end. */
    String diffId() {
        return "sha256:" + HexFormat.of().formatHex(sha256.digest());
    }
}
