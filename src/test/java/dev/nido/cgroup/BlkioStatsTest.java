package dev.nido.cgroup;

import dev.nido.cgroup.v1.BlkioV1;
import dev.nido.cgroup.v2.IoV2;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** blkio usage in runc's events shape, from v1 throttle files and v2 io.stat. */
class BlkioStatsTest {
    @Test
    void v1ThrottleFilesBecomeEntriesWithoutTheTotalLine() {
        Map<String, Object> s = BlkioV1.stats(f -> f.equals("blkio.throttle.io_service_bytes_recursive")
                ? Optional.of("254:0 Read 4096\n254:0 Write 8192\nTotal 12288\n") : Optional.empty());
        assertThat(s).containsOnlyKeys("ioServiceBytesRecursive");
        assertThat(s.get("ioServiceBytesRecursive")).isEqualTo(List.of(
                Map.of("major", 254L, "minor", 0L, "op", "Read", "value", 4096L),
                Map.of("major", 254L, "minor", 0L, "op", "Write", "value", 8192L)));
    }

    @Test
    void v2IoStatIsTranslatedToReadAndWriteEntries() {
        Map<String, Object> s = IoV2.stats(f -> f.equals("io.stat")
                ? Optional.of("8:0 rbytes=100 wbytes=200 rios=1 wios=2 dbytes=0 dios=0\n") : Optional.empty());
        assertThat(s.get("ioServiceBytesRecursive")).isEqualTo(List.of(
                Map.of("major", 8L, "minor", 0L, "op", "Read", "value", 100L),
                Map.of("major", 8L, "minor", 0L, "op", "Write", "value", 200L)));
        assertThat(s.get("ioServicedRecursive")).isEqualTo(List.of(
                Map.of("major", 8L, "minor", 0L, "op", "Read", "value", 1L),
                Map.of("major", 8L, "minor", 0L, "op", "Write", "value", 2L)));
    }
}
