package dev.nido.image.unpack;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;

/**
 * PAX extended header records (POSIX pax, "pax Extended Header"): {@code "%d %s=%s\n"}, the
 * decimal length counting the whole record including itself. Keywords are UTF-8; values are
 * kept as bytes because {@code SCHILY.xattr.*} values are binary.
 */
final class PaxRecords {
    private PaxRecords() {
    }

    /**
     * The records of an extended header's data, in order (a later record for the same keyword
     * wins).
     *
     * @throws IllegalArgumentException naming what is malformed
     */
    static Map<String, byte[]> parse(byte[] data, int length) {
        Map<String, byte[]> records = new LinkedHashMap<>();
        int pos = 0;
        while (pos < length) {
            if (data[pos] == 0) {
                break; // some writers pad the data with NULs
            }
            int space = pos;
            long recordLength = 0;
            while (space < length && data[space] >= '0' && data[space] <= '9' && recordLength < length) {
                recordLength = recordLength * 10 + (data[space] - '0');
                space++;
            }
            if (space == pos || space >= length || data[space] != ' ') {
                throw new IllegalArgumentException("malformed PAX record at byte " + pos + ": no length");
            }
            long end = pos + recordLength;
            if (recordLength <= space - pos + 1 || end > length || data[(int) end - 1] != '\n') {
                throw new IllegalArgumentException("malformed PAX record at byte " + pos + ": bad length " + recordLength);
            }
            int equals = indexOf(data, space + 1, (int) end - 1, (byte) '=');
            if (equals < 0 || equals == space + 1) {
                throw new IllegalArgumentException("malformed PAX record at byte " + pos + ": no keyword=value");
            }
            String keyword = new String(data, space + 1, equals - space - 1, StandardCharsets.UTF_8);
            records.put(keyword, Arrays.copyOfRange(data, equals + 1, (int) end - 1));
            pos = (int) end;
        }
        return records;
    }

    private static int indexOf(byte[] data, int from, int to, byte b) {
        for (int i = from; i < to; i++) {
            if (data[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** The data of an extended header holding {@code records} (sorted, so output is deterministic). */
    static byte[] format(SortedMap<String, byte[]> records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> r : records.entrySet()) {
            byte[] keyword = r.getKey().getBytes(StandardCharsets.UTF_8);
            byte[] value = r.getValue();
            int rest = 1 + keyword.length + 1 + value.length + 1; // ' ' keyword '=' value '\n'
            int length = rest + Integer.toString(rest).length();
            if (Integer.toString(length).length() != Integer.toString(rest).length()) {
                length++; // adding the digits added a digit (e.g. 98 + 2 = 100)
            }
            out.writeBytes(Integer.toString(length).getBytes(StandardCharsets.US_ASCII));
            out.write(' ');
            out.writeBytes(keyword);
            out.write('=');
            out.writeBytes(value);
            out.write('\n');
        }
        return out.toByteArray();
    }

    static String text(byte[] value) {
        return new String(value, StandardCharsets.UTF_8);
    }

    /** A decimal PAX number (size, uid, gid, SCHILY.devmajor …). */
    static long decimal(String keyword, byte[] value) {
        String s = text(value);
        if (s.isEmpty() || s.length() > 19 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("PAX " + keyword + " is not a decimal number: \"" + s + "\"");
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("PAX " + keyword + " is out of range: \"" + s + "\"", e);
        }
    }

    /**
     * A PAX time, {@code [-]seconds[.fraction]}: seconds and nanoseconds, with the fraction cut
     * to 9 digits and, for a negative time, the nanoseconds still counting forward (like a
     * timespec: -1.5 is {-2, 500000000}).
     */
    static long[] time(String keyword, byte[] value) {
        String s = text(value);
        boolean negative = s.startsWith("-");
        String digits = negative ? s.substring(1) : s;
        int dot = digits.indexOf('.');
        String whole = dot < 0 ? digits : digits.substring(0, dot);
        String fraction = dot < 0 ? "" : digits.substring(dot + 1);
        if (whole.isEmpty() || whole.length() > 18 || !allDigits(whole) || !allDigits(fraction)) {
            throw new IllegalArgumentException("PAX " + keyword + " is not a time: \"" + s + "\"");
        }
        long seconds = Long.parseLong(whole);
        String nine = (fraction + "000000000").substring(0, 9);
        long nanos = Long.parseLong(nine);
        if (negative) {
            seconds = -seconds;
            if (nanos != 0) {
                seconds--;
                nanos = 1_000_000_000L - nanos;
            }
        }
        return new long[] {seconds, nanos};
    }

    private static boolean allDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
