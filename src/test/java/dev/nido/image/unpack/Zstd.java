package dev.nido.image.unpack;

import io.airlift.compress.zstd.ZstdOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** zstd test data: the library's compressor, or the zstd command (a second, independent encoder). */
final class Zstd {
    private Zstd() {
    }

    static byte[] compress(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZstdOutputStream z = new ZstdOutputStream(out)) {
            z.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] compressWithCli(byte[] data) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("zstd", "-q", "-c", "-3").start();
        Thread feeder = Thread.ofVirtual().start(() -> {
            try (var in = p.getOutputStream()) {
                in.write(data);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        byte[] out = p.getInputStream().readAllBytes();
        feeder.join();
        if (p.waitFor() != 0) {
            throw new IOException("zstd failed");
        }
        return out;
    }
}
