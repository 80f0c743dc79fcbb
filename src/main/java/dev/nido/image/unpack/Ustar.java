package dev.nido.image.unpack;

import java.nio.charset.StandardCharsets;

/**
 * The 512-byte ustar header (tar(5), POSIX pax "ustar Interchange Format"): field offsets,
 * numbers (octal, or GNU base-256 when the first byte has its high bit set) and the checksum.
 * <pre>
 * struct header {            offset
 *     char name[100];          0
 *     char mode[8];          100
 *     char uid[8];           108
 *     char gid[8];           116
 *     char size[12];         124
 *     char mtime[12];        136
 *     char chksum[8];        148   (computed with these 8 bytes as spaces)
 *     char typeflag;         156
 *     char linkname[100];    157
 *     char magic[6];         257   "ustar\0" (POSIX) or "ustar " + version " \0" (GNU)
 *     char version[2];       263   "00" (POSIX)
 *     char uname[32];        265
 *     char gname[32];        297
 *     char devmajor[8];      329
 *     char devminor[8];      337
 *     char prefix[155];      345   POSIX only: GNU keeps atime, ctime and sparse data here
 * };
 * </pre>
 */
final class Ustar {
    static final int BLOCK = 512;

    static final int NAME = 0;
    static final int NAME_LEN = 100;
    static final int MODE = 100;
    static final int UID = 108;
    static final int GID = 116;
    static final int ID_LEN = 8;
    static final int SIZE = 124;
    static final int MTIME = 136;
    static final int TIME_LEN = 12;
    static final int CHKSUM = 148;
    static final int CHKSUM_LEN = 8;
    static final int TYPEFLAG = 156;
    static final int LINKNAME = 157;
    static final int MAGIC = 257;
    static final int VERSION = 263;
    static final int UNAME = 265;
    static final int GNAME = 297;
    static final int OWNER_NAME_LEN = 32;
    static final int DEVMAJOR = 329;
    static final int DEVMINOR = 337;
    static final int PREFIX = 345;
    static final int PREFIX_LEN = 155;

    /** The largest value of an 8-byte octal field (7 digits and a NUL). */
    static final long MAX_OCTAL_8 = 07777777L;
    /** The largest value of a 12-byte octal field (11 digits and a NUL). */
    static final long MAX_OCTAL_12 = 077777777777L;

    private Ustar() {
    }

    /** Whether the header has the POSIX magic {@code "ustar\0"} (then the prefix field counts). */
    static boolean isPosix(byte[] h, int off) {
        return h[off + MAGIC] == 'u' && h[off + MAGIC + 1] == 's' && h[off + MAGIC + 2] == 't'
                && h[off + MAGIC + 3] == 'a' && h[off + MAGIC + 4] == 'r' && h[off + MAGIC + 5] == 0;
    }

    static boolean isZeroBlock(byte[] h, int off) {
        for (int i = off; i < off + BLOCK; i++) {
            if (h[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** The bytes of a NUL-terminated (or full) field, as UTF-8. */
    static String string(byte[] h, int off, int len) {
        int end = off;
        int limit = off + len;
        boolean ascii = true;
        while (end < limit && h[end] != 0) {
            ascii &= h[end] >= 0;
            end++;
        }
        return new String(h, off, end - off, ascii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
    }

    /**
     * A numeric field: base-256 (GNU: first byte 0x80 for positive, 0xff for negative, the rest
     * big-endian two's complement) or octal digits, optionally surrounded by spaces and NULs.
     *
     * @throws IllegalArgumentException naming the problem (the caller adds the field and entry)
     */
    static long number(byte[] h, int off, int len) {
        if ((h[off] & 0x80) != 0) {
            return base256(h, off, len);
        }
        int i = off;
        int end = off + len;
        while (i < end && (h[i] == ' ' || h[i] == 0)) {
            i++;
        }
        long value = 0;
        for (; i < end && h[i] != ' ' && h[i] != 0; i++) {
            int digit = h[i] - '0';
            if (digit < 0 || digit > 7) {
                throw new IllegalArgumentException("not an octal number: " + printable(h, off, len));
            }
            if (value >>> 60 != 0) {
                throw new IllegalArgumentException("octal number too large: " + printable(h, off, len));
            }
            value = value << 3 | digit;
        }
        for (; i < end; i++) {
            if (h[i] != ' ' && h[i] != 0) {
                throw new IllegalArgumentException("not an octal number: " + printable(h, off, len));
            }
        }
        return value;
    }

    private static long base256(byte[] h, int off, int len) {
        boolean negative = (h[off] & 0x40) != 0;
        int invert = negative ? 0xff : 0;
        long value = 0;
        for (int i = 0; i < len; i++) {
            int c = (h[off + i] ^ invert) & 0xff;
            if (i == 0) {
                c &= 0x7f;
            }
            if (value >>> 55 != 0) {
                throw new IllegalArgumentException("base-256 number does not fit in 63 bits");
            }
            value = value << 8 | c;
        }
        return negative ? ~value : value;
    }

    /** The field's bytes for a message: printable ASCII as is, the rest as \xNN. */
    private static String printable(byte[] h, int off, int len) {
        StringBuilder s = new StringBuilder("\"");
        for (int i = off; i < off + len; i++) {
            int c = h[i] & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                s.append((char) c);
            } else {
                s.append(String.format("\\x%02x", c));
            }
        }
        return s.append('"').toString();
    }

    /** The checksum as historic tars computed it: unsigned bytes, the chksum field as spaces. */
    static long unsignedChecksum(byte[] h, int off) {
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            boolean field = i >= CHKSUM && i < CHKSUM + CHKSUM_LEN;
            sum += field ? ' ' : h[off + i] & 0xff;
        }
        return sum;
    }

    /** The same with signed bytes (some old tars; still accepted by GNU tar and Go). */
    static long signedChecksum(byte[] h, int off) {
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            boolean field = i >= CHKSUM && i < CHKSUM + CHKSUM_LEN;
            sum += field ? ' ' : h[off + i];
        }
        return sum;
    }

    /** Writes {@code value} as zero-padded octal digits and a NUL; false when it does not fit. */
    static boolean putOctal(byte[] h, int off, int len, long value) {
        if (value < 0 || value >= 1L << 3 * (len - 1)) {
            return false;
        }
        h[off + len - 1] = 0;
        long v = value;
        for (int i = off + len - 2; i >= off; i--) {
            h[i] = (byte) ('0' + (v & 7));
            v >>>= 3;
        }
        return true;
    }

    /** Copies {@code bytes} into a field (the rest stays NUL); false when they do not fit. */
    static boolean putBytes(byte[] h, int off, int len, byte[] bytes) {
        if (bytes.length > len) {
            return false;
        }
        System.arraycopy(bytes, 0, h, off, bytes.length);
        return true;
    }

    /** Writes the checksum of a finished header: six octal digits, NUL, space (as GNU tar and Go do). */
    static void putChecksum(byte[] h, int off) {
        long sum = unsignedChecksum(h, off);
        putOctal(h, off + CHKSUM, 7, sum);
        h[off + CHKSUM + 7] = ' ';
    }
}
