package dev.nido.image.unpack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PrefetcherTest {
    @Test
    void passesEveryByteInOrder() throws IOException {
        byte[] data = new byte[5_000_123];
        new Random(7).nextBytes(data);
        try (Prefetcher p = new Prefetcher(new ByteArrayInputStream(data), "t")) {
            assertThat(p.readAllBytes()).isEqualTo(data);
            assertThat(p.read()).isEqualTo(-1);
        }
    }

    @Test
    void passesOnTheSourcesFailureAfterItsData() throws IOException {
        InputStream failing = new InputStream() {
            private int left = 3;

            @Override
            public int read() throws IOException {
                if (left-- > 0) {
                    return 'x';
                }
                throw new IOException("Unexpected end of ZLIB input stream");
            }
        };
        try (Prefetcher p = new Prefetcher(failing, "t")) {
            assertThatThrownBy(p::readAllBytes).isInstanceOf(IOException.class)
                    .hasMessage("Unexpected end of ZLIB input stream");
        }
    }

    @Test
    void aRuntimeExceptionOfTheSourceBecomesAnIOException() throws IOException {
        InputStream broken = new InputStream() {
            @Override
            public int read() {
                throw new IllegalStateException("malformed zstd frame");
            }
        };
        try (Prefetcher p = new Prefetcher(broken, "t")) {
            assertThatThrownBy(p::read).isInstanceOf(IOException.class).hasMessageContaining("malformed zstd frame");
        }
    }

    @Test
    void closingEarlyStopsTheThreadAndClosesTheSource() throws IOException {
        boolean[] closed = {false};
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return 0;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                return len;
            }

            @Override
            public void close() {
                closed[0] = true;
            }
        };
        Prefetcher p = new Prefetcher(endless, "early-close");
        assertThat(p.read(new byte[10], 0, 10)).isEqualTo(10);
        p.close();
        assertThat(closed[0]).isTrue();
        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                .doesNotContain("nido-unpack-read early-close");
    }
}
