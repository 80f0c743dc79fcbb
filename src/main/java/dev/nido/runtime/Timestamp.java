package dev.nido.runtime;

import java.time.Instant;

/**
 * {@link Instant#toString()} (ISO-8601 in UTC, the fraction in groups of three digits) written
 * out by hand: the JDK's version initialises {@code DateTimeFormatter} and its predefined
 * formatters, about 6 ms of every container start, for one string in state.json.
 */
final class Timestamp {
    private static final long SECONDS_PER_DAY = 86_400;
    /** 1970-01-01 and 10000-01-01 in seconds since the epoch: the years this class writes itself. */
    private static final long MIN = 0;
    private static final long MAX = 253_402_300_800L;

    private Timestamp() {
    }

    /** Exactly {@code t.toString()}. */
    static String iso(Instant t) {
        long s = t.getEpochSecond();
        if (s < MIN || s >= MAX) {
            return t.toString();
        }
        long days = s / SECONDS_PER_DAY;
        int secs = (int) (s % SECONDS_PER_DAY);
        // civil_from_days (H. Hinnant, "chrono-Compatible Low-Level Date Algorithms"), for days >= 0
        long z = days + 719_468;
        long era = z / 146_097;
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int day = (int) (doy - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        StringBuilder b = new StringBuilder(30);
        pad(b, year, 4).append('-');
        pad(b, month, 2).append('-');
        pad(b, day, 2).append('T');
        pad(b, secs / 3600, 2).append(':');
        pad(b, secs / 60 % 60, 2).append(':');
        pad(b, secs % 60, 2);
        int nano = t.getNano();
        if (nano > 0) {
            b.append('.');
            if (nano % 1_000_000 == 0) {
                pad(b, nano / 1_000_000, 3);
            } else if (nano % 1000 == 0) {
                pad(b, nano / 1000, 6);
            } else {
                pad(b, nano, 9);
            }
        }
        return b.append('Z').toString();
    }

    private static StringBuilder pad(StringBuilder b, long value, int width) {
        String digits = Long.toString(value);
        for (int i = digits.length(); i < width; i++) {
            b.append('0');
        }
        return b.append(digits);
    }
}
