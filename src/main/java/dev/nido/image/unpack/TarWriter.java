package dev.nido.image.unpack;

import dev.nido.image.ImageException;
import dev.nido.linux.Syscalls;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Writes a deterministic tar stream: ustar headers, with a PAX extended header ({@code 'x'},
 * named {@code ././@PaxHeader}, records sorted) only for what ustar cannot hold: long names and
 * link targets, uid/gid/size/mtime out of range, sub-second mtimes, owner names over 32 bytes,
 * and extended attributes ({@code SCHILY.xattr.NAME}). No host user names, no access or change
 * times: the same tree gives the same bytes, hence the same digest.
 *
 * <p>{@link #writeTree} archives a directory (export, {@code docker save}, build layers);
 * {@link #writeOverlayUpper} turns an overlayfs upper directory into a layer, whiteouts and
 * opaque directories becoming {@code .wh.} entries. Failures are {@link ImageException}s naming
 * the entry or path.
 */
public final class TarWriter implements Closeable {
    private static final int BUFFER = 1 << 20;
    private static final byte[] ZERO_BLOCKS = new byte[2 * Ustar.BLOCK];
    static final String PAX_HEADER_NAME = "././@PaxHeader";

    private final OutputStream out;
    private final Syscalls sys;
    private final byte[] copyBuffer = new byte[BUFFER];
    private boolean finished;

    /** Writes to {@code out}; reads extended attributes of trees through the real kernel. */
    public TarWriter(OutputStream out) {
        this(out, Syscalls.real());
    }

    public TarWriter(OutputStream out, Syscalls sys) {
        this.out = new BufferedOutputStream(out, BUFFER);
        this.sys = sys;
    }

    /** One entry with {@code data} (for a file: exactly {@code entry.size()} bytes; else null). */
    public void write(TarEntry entry, InputStream data) {
        try {
            writeHeader(entry);
            if (entry.type() == EntryType.FILE && entry.size() > 0) {
                copy(entry, data);
            }
        } catch (IOException e) {
            throw new ImageException("writing tar entry " + Names.quote(entry.name()) + ": " + Failures.describe(e), e);
        }
    }

    /** One entry with its data in memory; the entry's size is set to the data's length. */
    public void write(TarEntry entry, byte[] data) {
        TarEntry sized = entry.type() == EntryType.FILE ? entry.withSize(data.length) : entry;
        write(sized, new ByteArrayInputStream(data));
    }

    /**
     * Every file under {@code dir} (not {@code dir} itself), names relative to it, each
     * directory's entries sorted by name and written before what they hold. Symlinks are stored,
     * never followed; files with several links become hard links to the first name written;
     * devices and fifos are kept, sockets left out. Extended attributes kept: {@code user.*},
     * {@code trusted.*} and {@code security.capability} (not overlayfs's own, not SELinux labels).
     */
    public void writeTree(Path dir) {
        new TreeArchiver(this, sys, false).archive(dir);
    }

    /**
     * The changes an overlayfs upper directory holds, as a layer: a whiteout (character device
     * 0/0) becomes {@code .wh.NAME}, an opaque directory ({@code trusted.overlay.opaque=y}, or
     * {@code user.overlay.opaque} with {@code userxattr}) is followed by {@code DIR/.wh..wh..opq}.
     * Directories renamed with {@code redirect_dir} and metadata-only copy-ups
     * ({@code metacopy}) cannot be expressed in a layer and are refused.
     */
    public void writeOverlayUpper(Path upper) {
        new TreeArchiver(this, sys, true).archive(upper);
    }

    /** Ends the archive (two zero blocks) and flushes; the stream stays open. */
    public void finish() {
        if (finished) {
            return;
        }
        try {
            out.write(ZERO_BLOCKS);
            out.flush();
            finished = true;
        } catch (IOException e) {
            throw new ImageException("writing the end of the tar: " + Failures.describe(e), e);
        }
    }

    /** {@link #finish} and close the stream. */
    @Override
    public void close() {
        try {
            finish();
        } finally {
            try {
                out.close();
            } catch (IOException e) {
                throw new ImageException("closing the tar: " + Failures.describe(e), e);
            }
        }
    }

    /** Copies exactly {@code entry.size()} bytes of {@code data}, then the padding to a block. */
    void copy(TarEntry entry, InputStream data) throws IOException {
        long left = entry.size();
        while (left > 0) {
            int n = data.read(copyBuffer, 0, (int) Math.min(copyBuffer.length, left));
            if (n < 0) {
                throw new ImageException("writing tar entry " + Names.quote(entry.name()) + ": the data ended after "
                        + (entry.size() - left) + " of " + entry.size() + " bytes (did the file change?)");
            }
            out.write(copyBuffer, 0, n);
            left -= n;
        }
        pad(entry.size());
    }

    private void pad(long size) throws IOException {
        int padding = (int) ((Ustar.BLOCK - size % Ustar.BLOCK) % Ustar.BLOCK);
        out.write(ZERO_BLOCKS, 0, padding);
    }

    private void writeHeader(TarEntry e) throws IOException {
        SortedMap<String, byte[]> pax = new TreeMap<>();
        byte[] h = header(e, pax);
        if (!pax.isEmpty()) {
            byte[] records = PaxRecords.format(pax);
            TarEntry paxEntry = new TarEntry(PAX_HEADER_NAME, EntryType.FILE, "", 0644, 0, 0, records.length,
                    0, 0, 0, 0, "", "", Map.of());
            byte[] ph = header(paxEntry, new TreeMap<>());
            ph[Ustar.TYPEFLAG] = 'x';
            Ustar.putChecksum(ph, 0);
            out.write(ph);
            out.write(records);
            pad(records.length);
        }
        out.write(h);
    }

    /** The ustar header of {@code e}; what does not fit goes into {@code pax}. */
    private static byte[] header(TarEntry e, SortedMap<String, byte[]> pax) {
        byte[] h = new byte[Ustar.BLOCK];
        byte[] name = e.name().getBytes(StandardCharsets.UTF_8);
        if (!putName(h, name)) {
            pax.put("path", name);
            Ustar.putBytes(h, Ustar.NAME, Ustar.NAME_LEN, Arrays.copyOf(name, Ustar.NAME_LEN));
        }
        Ustar.putOctal(h, Ustar.MODE, Ustar.ID_LEN, e.mode() & 07777);
        number(h, Ustar.UID, Ustar.ID_LEN, e.uid(), "uid", pax);
        number(h, Ustar.GID, Ustar.ID_LEN, e.gid(), "gid", pax);
        number(h, Ustar.SIZE, Ustar.TIME_LEN, e.type() == EntryType.FILE ? e.size() : 0, "size", pax);
        if (e.mtimeNanos() != 0 || !Ustar.putOctal(h, Ustar.MTIME, Ustar.TIME_LEN, e.mtimeSeconds())) {
            Ustar.putOctal(h, Ustar.MTIME, Ustar.TIME_LEN, Math.max(0, Math.min(e.mtimeSeconds(), Ustar.MAX_OCTAL_12)));
            pax.put("mtime", paxTime(e.mtimeSeconds(), e.mtimeNanos()).getBytes(StandardCharsets.US_ASCII));
        }
        h[Ustar.TYPEFLAG] = (byte) e.type().flag();
        byte[] link = e.linkName().getBytes(StandardCharsets.UTF_8);
        if (!Ustar.putBytes(h, Ustar.LINKNAME, Ustar.NAME_LEN, link)) {
            pax.put("linkpath", link);
            Ustar.putBytes(h, Ustar.LINKNAME, Ustar.NAME_LEN, Arrays.copyOf(link, Ustar.NAME_LEN));
        }
        System.arraycopy(new byte[] {'u', 's', 't', 'a', 'r', 0, '0', '0'}, 0, h, Ustar.MAGIC, 8);
        ownerName(h, Ustar.UNAME, e.uname(), "uname", pax);
        ownerName(h, Ustar.GNAME, e.gname(), "gname", pax);
        number(h, Ustar.DEVMAJOR, Ustar.ID_LEN, e.devMajor() & 0xffffffffL, "SCHILY.devmajor", pax);
        number(h, Ustar.DEVMINOR, Ustar.ID_LEN, e.devMinor() & 0xffffffffL, "SCHILY.devminor", pax);
        for (Map.Entry<String, byte[]> x : e.xattrs().entrySet()) {
            pax.put("SCHILY.xattr." + x.getKey(), x.getValue());
        }
        Ustar.putChecksum(h, 0);
        return h;
    }

    /** ustar's name: in {@code name}, or split at a slash into {@code prefix} and {@code name}. */
    private static boolean putName(byte[] h, byte[] name) {
        if (Ustar.putBytes(h, Ustar.NAME, Ustar.NAME_LEN, name)) {
            return true;
        }
        int from = Math.max(0, name.length - Ustar.NAME_LEN - 1);
        int to = Math.min(Ustar.PREFIX_LEN, name.length - 2);
        for (int i = from; i <= to; i++) {
            if (name[i] == '/' && i > 0) {
                System.arraycopy(name, 0, h, Ustar.PREFIX, i);
                System.arraycopy(name, i + 1, h, Ustar.NAME, name.length - i - 1);
                return true;
            }
        }
        return false;
    }

    private static void number(byte[] h, int off, int len, long value, String keyword, SortedMap<String, byte[]> pax) {
        if (!Ustar.putOctal(h, off, len, value)) {
            Ustar.putOctal(h, off, len, 0);
            pax.put(keyword, Long.toString(value).getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static void ownerName(byte[] h, int off, String name, String keyword, SortedMap<String, byte[]> pax) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (!Ustar.putBytes(h, off, Ustar.OWNER_NAME_LEN, bytes)) {
            pax.put(keyword, bytes);
        }
    }

    /** {@code seconds[.fraction]} with trailing zeros dropped; negative times as {@code -1.5} for {-2, 5e8}. */
    static String paxTime(long seconds, int nanos) {
        if (nanos == 0) {
            return Long.toString(seconds);
        }
        long s = seconds;
        long n = nanos;
        String sign = "";
        if (s < 0) {
            sign = "-";
            s = -(s + 1);
            n = 1_000_000_000L - n;
        }
        String fraction = String.format("%09d", n).replaceFirst("0+$", "");
        return sign + s + "." + fraction;
    }
}
