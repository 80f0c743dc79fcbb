package dev.nido.runtime;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class TimestampTest {
    @Test
    void matchesInstantToStringAtTheEdges() {
        for (String s : new String[] {"1970-01-01T00:00:00Z", "1970-01-01T00:00:00.000000001Z", "2000-02-29T23:59:59.5Z",
                "2024-03-01T00:00:00.123Z", "2026-11-22T07:03:37.120500Z", "2100-02-28T12:00:00Z",
                "9999-12-31T23:59:59.999999999Z", "1969-12-31T23:59:59Z", "+10000-01-01T00:00:00Z"}) {
            Instant t = Instant.parse(s);
            assertThat(Timestamp.iso(t)).isEqualTo(t.toString());
        }
    }

    @Test
    void matchesInstantToStringForRandomInstants() {
        SplittableRandom r = new SplittableRandom(42);
        for (int i = 0; i < 100_000; i++) {
            long seconds = r.nextLong(-100_000_000_000L, 300_000_000_000L);
            int nano = switch (i % 4) {
                case 0 -> 0;
                case 1 -> r.nextInt(1000) * 1_000_000;
                case 2 -> r.nextInt(1_000_000) * 1000;
                default -> r.nextInt(1_000_000_000);
            };
            Instant t = Instant.ofEpochSecond(seconds, nano);
            assertThat(Timestamp.iso(t)).isEqualTo(t.toString());
        }
    }
}
