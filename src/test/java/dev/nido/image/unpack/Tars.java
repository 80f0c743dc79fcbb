package dev.nido.image.unpack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** Builds tar archives in memory for tests: with {@link TarWriter}, or block by hand. */
final class Tars {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final TarWriter writer = new TarWriter(bytes);

    static Tars tar() {
        return new Tars();
    }

    Tars file(String name, String content) {
        return add(TarEntry.file(name, 0), content);
    }

    Tars add(TarEntry e, String content) {
        writer.write(e, content.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    Tars add(TarEntry e) {
        writer.write(e, new byte[0]);
        return this;
    }

    Tars dir(String name) {
        return add(TarEntry.directory(name));
    }

    Tars symlink(String name, String target) {
        return add(TarEntry.symlink(name, target));
    }

    Tars hardLink(String name, String target) {
        return add(TarEntry.hardLink(name, target));
    }

    /** An empty regular file: how whiteouts and opaque markers travel. */
    Tars marker(String name) {
        return add(TarEntry.file(name, 0).withMode(0));
    }

    byte[] bytes() {
        writer.finish();
        return bytes.toByteArray();
    }

    // ---- hand-made blocks ----

    /** A ustar header block; {@code fields} maps a Ustar offset to the bytes written there. */
    static byte[] header(String name, char type, long size, Map<Integer, byte[]> fields) {
        byte[] h = new byte[512];
        put(h, Ustar.NAME, name);
        put(h, Ustar.MODE, "0000644");
        put(h, Ustar.UID, "0000000");
        put(h, Ustar.GID, "0000000");
        put(h, Ustar.SIZE, String.format("%011o", size));
        put(h, Ustar.MTIME, "00000000000");
        h[Ustar.TYPEFLAG] = (byte) type;
        put(h, Ustar.MAGIC, "ustar");
        put(h, Ustar.VERSION, "00");
        fields.forEach((off, b) -> System.arraycopy(b, 0, h, off, b.length));
        checksum(h);
        return h;
    }

    static byte[] header(String name, char type, long size) {
        return header(name, type, size, Map.of());
    }

    static void put(byte[] h, int off, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(b, 0, h, off, b.length);
    }

    static void checksum(byte[] h) {
        Arrays.fill(h, Ustar.CHKSUM, Ustar.CHKSUM + 8, (byte) ' ');
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, Ustar.CHKSUM, String.format("%06o", sum));
        h[Ustar.CHKSUM + 6] = 0;
    }

    /** Data padded to whole blocks. */
    static byte[] data(byte[] content) {
        return Arrays.copyOf(content, (content.length + 511) / 512 * 512);
    }

    static byte[] data(String content) {
        return data(content.getBytes(StandardCharsets.UTF_8));
    }

    /** A PAX 'x' (or 'g') header with its records. */
    static byte[] pax(char type, Map<String, String> records) {
        StringBuilder s = new StringBuilder();
        records.forEach((k, v) -> {
            String rest = " " + k + "=" + v + "\n";
            int len = rest.getBytes(StandardCharsets.UTF_8).length;
            int total = len + Integer.toString(len).length();
            if (Integer.toString(total).length() != Integer.toString(len).length()) {
                total++;
            }
            s.append(total).append(rest);
        });
        byte[] body = s.toString().getBytes(StandardCharsets.UTF_8);
        return concat(header("././@PaxHeader", type, body.length), data(body));
    }

    static byte[] end() {
        return new byte[1024];
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static String sha256(byte[] data) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** All entries of an archive, data skipped. */
    static List<TarEntry> entries(byte[] tar) {
        TarReader r = new TarReader(new java.io.ByteArrayInputStream(tar), "test.tar");
        List<TarEntry> out = new ArrayList<>();
        for (TarEntry e; (e = r.next()) != null; ) {
            out.add(e);
        }
        return out;
    }
}
