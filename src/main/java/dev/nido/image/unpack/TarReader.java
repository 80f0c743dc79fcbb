package dev.nido.image.unpack;

import dev.nido.image.ImageException;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * Reads a tar stream entry by entry: ustar and old v7 headers, GNU long names and links
 * ({@code 'L'}, {@code 'K'}), PAX extended headers ({@code 'x'} for the next entry, {@code 'g'}
 * for all that follow) with checksums verified. GNU sparse files (type {@code 'S'} or PAX
 * {@code GNU.sparse.*}) and other vendor types are refused. Every problem is an
 * {@link ImageException} naming the archive (the {@code label}) and the entry:
 * {@code layer sha256:…: entry "usr/bin/x": archive truncated (12 of 4096 bytes of data)}.
 *
 * <pre>
 * TarReader tar = new TarReader(in, "layer sha256:…");
 * for (TarEntry e; (e = tar.next()) != null; ) {
 *     int n = tar.read(buf, 0, buf.length);   // the entry's data, -1 at its end
 * }
 * </pre>
 * The reader buffers 1 MiB of input; it never reads past what the archive needs except to
 * {@link #drain()} it.
 */
public final class TarReader implements Closeable {
    /** The most bytes of a PAX header or a GNU long name we hold in memory (Go uses the same bound). */
    static final int MAX_META_SIZE = 1 << 20;
    private static final int BUFFER = 1 << 20;

    private final InputStream in;
    private final String label;
    private final byte[] buf = new byte[BUFFER];
    private int pos;
    private int limit;
    /** Bytes taken from {@link #in} before {@code buf[0]}: the offset of buf[0] in the archive. */
    private long consumedBefore;
    private boolean eof;

    private final PaxState pax = new PaxState();
    private TarEntry current;
    private long remaining;
    private int padding;
    private String previousName;
    private boolean ended;

    /** {@code label} names the archive in messages ({@code layer sha256:…}, {@code image.tar}). */
    public TarReader(InputStream in, String label) {
        this.in = in;
        this.label = label;
    }

    /** The next entry, its data ready for {@link #read}; null at the end of the archive. */
    public TarEntry next() {
        if (ended) {
            return null;
        }
        skipRest();
        pax.startEntry();
        String longName = null;
        String longLink = null;
        while (true) {
            long offset = offset();
            if (!fill(Ustar.BLOCK)) {
                if (available() == 0 && !pax.pending() && longName == null && longLink == null) {
                    ended = true; // no end-of-archive blocks: accepted, as GNU tar and Go do
                    return null;
                }
                throw truncated(pendingName(longName), "archive truncated in a header");
            }
            int h = pos;
            if (Ustar.isZeroBlock(buf, h)) {
                pos += Ustar.BLOCK;
                ended = true;
                return null;
            }
            verifyChecksum(h, offset, pendingName(longName));
            int flag = buf[h + Ustar.TYPEFLAG] & 0xff;
            String headerName = headerName(h);
            long size = field(h, Ustar.SIZE, Ustar.TIME_LEN, "size", headerName);
            pos += Ustar.BLOCK;
            switch (flag) {
                case 'x' -> pax.local(metaData(headerName, size, "PAX header"), this, headerName);
                case 'g' -> pax.global(metaData(headerName, size, "PAX global header"), this, headerName);
                case 'L' -> longName = cString(metaData(headerName, size, "GNU long name"));
                case 'K' -> longLink = cString(metaData(headerName, size, "GNU long link name"));
                default -> {
                    return entry(h, flag, headerName, size, longName, longLink);
                }
            }
        }
    }

    /** The name of the entry whose header is being read, when meta headers told it; else null. */
    private String pendingName(String longName) {
        String paxPath = pax.path();
        return paxPath != null ? paxPath : longName;
    }

    private TarEntry entry(int h, int flag, String headerName, long headerSize, String longName, String longLink) {
        // The header was consumed; it is still in buf at h until the next fill.
        String name = pax.path() != null ? pax.path() : longName != null ? longName : headerName;
        EntryType type = EntryType.ofFlag(flag);
        if (flag == 0 && name.endsWith("/")) {
            type = EntryType.DIRECTORY; // pre-POSIX tars mark directories by the trailing slash only
        }
        if (type == null) {
            throw error(name, flag == 'S' ? "GNU sparse files are not supported"
                    : "unsupported entry type '" + printableFlag(flag) + "'");
        }
        if (pax.sparse()) {
            throw error(name, "GNU sparse files are not supported (PAX GNU.sparse records)");
        }
        String link = pax.linkPath() != null ? pax.linkPath()
                : longLink != null ? longLink : Ustar.string(buf, h + Ustar.LINKNAME, Ustar.NAME_LEN);
        long size = pax.size() >= 0 ? pax.size() : headerSize;
        int mode = (int) (field(h, Ustar.MODE, Ustar.ID_LEN, "mode", name) & 07777);
        long uid = pax.uid() >= 0 ? pax.uid() : field(h, Ustar.UID, Ustar.ID_LEN, "uid", name);
        long gid = pax.gid() >= 0 ? pax.gid() : field(h, Ustar.GID, Ustar.ID_LEN, "gid", name);
        long mtime = pax.hasMtime() ? pax.mtimeSeconds() : field(h, Ustar.MTIME, Ustar.TIME_LEN, "mtime", name);
        int nanos = pax.hasMtime() ? pax.mtimeNanos() : 0;
        boolean posix = Ustar.isPosix(buf, h);
        boolean ustarLike = posix || buf[h + Ustar.MAGIC] == 'u';
        int major = 0;
        int minor = 0;
        if (type == EntryType.CHAR_DEVICE || type == EntryType.BLOCK_DEVICE) {
            major = (int) (pax.devMajor() >= 0 ? pax.devMajor() : field(h, Ustar.DEVMAJOR, Ustar.ID_LEN, "devmajor", name));
            minor = (int) (pax.devMinor() >= 0 ? pax.devMinor() : field(h, Ustar.DEVMINOR, Ustar.ID_LEN, "devminor", name));
        }
        String uname = pax.uname() != null ? pax.uname()
                : ustarLike ? Ustar.string(buf, h + Ustar.UNAME, Ustar.OWNER_NAME_LEN) : "";
        String gname = pax.gname() != null ? pax.gname()
                : ustarLike ? Ustar.string(buf, h + Ustar.GNAME, Ustar.OWNER_NAME_LEN) : "";
        if (size < 0) {
            throw error(name, "negative size " + size);
        }
        Map<String, byte[]> xattrs;
        try {
            xattrs = pax.xattrs();
        } catch (IllegalArgumentException e) {
            throw error(name, "bad LIBARCHIVE.xattr record: " + e.getMessage());
        }
        current = new TarEntry(name, type, link, mode, uid, gid, type.hasData() ? size : 0, mtime, nanos,
                major, minor, uname, gname, xattrs);
        remaining = current.size();
        padding = (int) ((Ustar.BLOCK - remaining % Ustar.BLOCK) % Ustar.BLOCK);
        previousName = name;
        return current;
    }

    private static String printableFlag(int flag) {
        return flag >= 0x20 && flag < 0x7f ? String.valueOf((char) flag) : String.format("\\x%02x", flag);
    }

    /** The name of a header: POSIX {@code prefix/name}, or the name field alone. */
    private String headerName(int h) {
        String name = Ustar.string(buf, h + Ustar.NAME, Ustar.NAME_LEN);
        if (Ustar.isPosix(buf, h) && buf[h + Ustar.PREFIX] != 0) {
            return Ustar.string(buf, h + Ustar.PREFIX, Ustar.PREFIX_LEN).concat("/").concat(name);
        }
        return name;
    }

    private long field(int h, int off, int len, String field, String name) {
        try {
            return Ustar.number(buf, h + off, len);
        } catch (IllegalArgumentException e) {
            throw error(name, "bad " + field + " field: " + e.getMessage());
        }
    }

    private void verifyChecksum(int h, long offset, String context) {
        long stored;
        try {
            stored = Ustar.number(buf, h + Ustar.CHKSUM, Ustar.CHKSUM_LEN);
        } catch (IllegalArgumentException e) {
            throw badHeader(h, context, "bad header checksum field at offset " + offset + ": " + e.getMessage());
        }
        long unsigned = Ustar.unsignedChecksum(buf, h);
        if (stored != unsigned && stored != Ustar.signedChecksum(buf, h)) {
            throw badHeader(h, context, "header checksum mismatch at offset " + offset
                    + " (stored " + Long.toOctalString(stored) + ", computed " + Long.toOctalString(unsigned)
                    + "): not a tar archive, or a corrupt one");
        }
    }

    private String nameForBadHeader(int h, String context) {
        String raw = Ustar.string(buf, h + Ustar.NAME, Ustar.NAME_LEN);
        return raw.isEmpty() ? context : raw;
    }

    private ImageException badHeader(int h, String context, String problem) {
        String name = nameForBadHeader(h, context);
        return name == null ? truncated(null, problem) : error(name, problem);
    }

    /** The data of a meta entry (PAX header, GNU long name), bounded. */
    private byte[] metaData(String name, long size, String what) {
        if (size > MAX_META_SIZE || size < 0) {
            throw error(name, what + " of " + size + " bytes is larger than the limit of " + MAX_META_SIZE);
        }
        byte[] data = new byte[(int) size];
        int done = 0;
        while (done < size) {
            if (available() == 0 && !fill(1)) {
                throw error(name, "archive truncated in a " + what + " (" + done + " of " + size + " bytes)");
            }
            int n = Math.min(available(), (int) size - done);
            System.arraycopy(buf, pos, data, done, n);
            pos += n;
            done += n;
        }
        skip((Ustar.BLOCK - size % Ustar.BLOCK) % Ustar.BLOCK, name, what + " padding");
        return data;
    }

    private static String cString(byte[] data) {
        int end = 0;
        while (end < data.length && data[end] != 0) {
            end++;
        }
        return Ustar.string(data, 0, end);
    }

    /**
     * Reads the current entry's data into {@code b}; -1 at its end.
     *
     * @throws ImageException when the archive ends before the entry's data does
     */
    public int read(byte[] b, int off, int len) {
        if (remaining == 0 || current == null) {
            return -1;
        }
        int want = (int) Math.min(len, remaining);
        int n;
        if (available() > 0) {
            n = Math.min(want, available());
            System.arraycopy(buf, pos, b, off, n);
            pos += n;
        } else if (want >= BUFFER / 2) {
            n = readDirect(b, off, want);
        } else {
            if (!fill(1)) {
                throw truncatedData();
            }
            n = Math.min(want, available());
            System.arraycopy(buf, pos, b, off, n);
            pos += n;
        }
        remaining -= n;
        return n;
    }

    /** A large read with the buffer empty: straight from the input, no copy. */
    private int readDirect(byte[] b, int off, int len) {
        int n;
        try {
            n = eof ? -1 : in.read(b, off, len);
        } catch (IOException e) {
            throw readError(current.name(), e);
        }
        if (n <= 0) {
            eof = true;
            throw truncatedData();
        }
        consumedBefore += n;
        return n;
    }

    private ImageException truncatedData() {
        long size = current.size();
        return error(current.name(), "archive truncated (" + (size - remaining) + " of " + size + " bytes of data)");
    }

    /** The entry being read (the last one {@link #next} returned). */
    public TarEntry current() {
        return current;
    }

    /** Skips the rest of the current entry's data and its padding. */
    private void skipRest() {
        if (current == null) {
            return;
        }
        while (remaining > 0) {
            if (available() == 0 && !fill(1)) {
                throw truncatedData();
            }
            int n = (int) Math.min(remaining, available());
            pos += n;
            remaining -= n;
        }
        skip(padding, current.name(), "padding");
        padding = 0;
        current = null;
    }

    private void skip(long n, String name, String what) {
        long left = n;
        while (left > 0) {
            if (available() == 0 && !fill(1)) {
                throw error(name, "archive truncated in the " + what);
            }
            int step = (int) Math.min(left, available());
            pos += step;
            left -= step;
        }
    }

    /**
     * Reads the input to its end (for a digest over the whole stream: tars often carry zero
     * padding after the end-of-archive blocks). Returns the archive's total length.
     */
    public long drain() {
        skipRest();
        ended = true;
        pos = limit;
        while (fill(1)) {
            pos = limit;
        }
        return offset();
    }

    /** The offset in the archive of the next byte to be consumed. */
    public long offset() {
        return consumedBefore - limit + pos;
    }

    private int available() {
        return limit - pos;
    }

    /** Ensures {@code n} bytes in the buffer; false at end of input with fewer. */
    private boolean fill(int n) {
        if (available() >= n) {
            return true;
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, available());
            limit -= pos;
            pos = 0;
        }
        while (limit < n && !eof) {
            int got;
            try {
                got = in.read(buf, limit, buf.length - limit);
            } catch (IOException e) {
                throw readError(current != null ? current.name() : previousName == null ? "" : previousName, e);
            }
            if (got < 0) {
                eof = true;
            } else {
                limit += got;
                consumedBefore += got;
            }
        }
        return available() >= n;
    }

    private ImageException readError(String name, IOException e) {
        String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new ImageException(prefix(name) + "reading the archive: " + detail, e);
    }

    /** A problem in a header whose entry has no name yet: named after the entry before it. */
    private ImageException truncated(String name, String problem) {
        if (name != null) {
            return error(name, problem);
        }
        String where = previousName == null ? "" : "after entry " + Names.quote(previousName) + ": ";
        return new ImageException(label + ": " + where + problem);
    }

    ImageException error(String name, String problem) {
        return new ImageException(prefix(name) + problem);
    }

    private String prefix(String name) {
        return name == null || name.isEmpty() ? label + ": " : label + ": entry " + Names.quote(name) + ": ";
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
