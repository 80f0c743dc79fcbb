package dev.nido.image.unpack;

import dev.nido.image.unpack.UnpackOptions.Mode;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * Unpack throughput on a generated ~200 MB layer: 24,000 small files (0.5–8 KiB, in 600
 * directories, text-like so they compress about 3:1) and 4 files of 25 MiB. Not a test (no
 * timing gates anything); run it by hand after {@code mvn test-compile}:
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp target/classes:target/test-classes:$HOME/.m2/repository/io/airlift/aircompressor/2.0.3/aircompressor-2.0.3.jar \
 *     dev.nido.image.unpack.UnpackBenchmark [work-dir] [rounds]
 * </pre>
 * Prints MB/s of uncompressed tar per compression (plain, gzip, zstd), best of the rounds; the
 * page cache is warm and nothing is fsynced, as in a pull that syncs once at the end.
 */
public final class UnpackBenchmark {
    private static final String[] WORDS = ("the of and to in is was for on that with as by at from this be are "
            + "config lib usr share doc include bin local python node java package version license copyright "
            + "function return static int char void struct if else while for break const").split(" ");

    private UnpackBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Files.createDirectories(Path.of(args.length > 0 ? args[0] : "/tmp/nido-unpack-bench"));
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path tar = work.resolve("layer.tar");
        if (!Files.exists(tar)) {
            generate(tar);
        }
        Path gz = work.resolve("layer.tar.gz");
        if (!Files.exists(gz)) {
            try (InputStream in = Files.newInputStream(tar);
                 OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz), 1 << 16)) {
                in.transferTo(out);
            }
        }
        Path zst = work.resolve("layer.tar.zst");
        if (!Files.exists(zst)) {
            new ProcessBuilder("zstd", "-q", "-3", "-o", zst.toString(), tar.toString()).inheritIO().start().waitFor();
        }
        long size = Files.size(tar);
        System.out.printf("layer: %.1f MB uncompressed, gzip %.1f MB, zstd %.1f MB, %d entries%n", size / 1e6,
                Files.size(gz) / 1e6, Files.size(zst) / 1e6, Tars.entries(Files.readAllBytes(tar)).size());
        for (Path layer : new Path[] {tar, gz, zst}) {
            double best = Double.MAX_VALUE;
            for (int i = 0; i < rounds; i++) {
                Path target = work.resolve("target");
                Trees.removeTree(target);
                Files.createDirectories(target);
                byte[] compressed = Files.readAllBytes(layer); // from memory: the unpacker, not the disk, is measured
                long t0 = System.nanoTime();
                new LayerUnpacker().unpack("bench", new BufferedInputStream(new ByteArrayInputStream(compressed), 1 << 16),
                        target, new UnpackOptions(Mode.OVERLAY, LayerUnpacker.runningAsRoot(), null));
                double seconds = (System.nanoTime() - t0) / 1e9;
                best = Math.min(best, seconds);
                System.out.printf("  %s round %d: %.2f s, %.0f MB/s%n", layer.getFileName(), i + 1, seconds,
                        size / 1e6 / seconds);
            }
            System.out.printf("%s: best %.2f s = %.0f MB/s (uncompressed)%n", layer.getFileName(), best, size / 1e6 / best);
        }
        Trees.removeTree(work.resolve("target"));
    }

    static void generate(Path tar) throws IOException {
        Random random = new Random(42);
        try (TarWriter w = new TarWriter(Files.newOutputStream(tar))) {
            for (int d = 0; d < 600; d++) {
                String dir = "usr/share/pkg" + d / 30 + "/d" + d;
                if (d % 30 == 0) {
                    w.write(TarEntry.directory("usr/share/pkg" + d / 30), new byte[0]);
                }
                w.write(TarEntry.directory(dir).withMtime(1_700_000_000L, 0), new byte[0]);
                for (int f = 0; f < 40; f++) {
                    byte[] data = text(random, 512 + random.nextInt(8 * 1024 - 512));
                    w.write(TarEntry.file(dir + "/file" + f + ".txt", 0).withMtime(1_700_000_000L, 0), data);
                }
            }
            w.write(TarEntry.directory("opt/big"), new byte[0]);
            for (int b = 0; b < 4; b++) {
                w.write(TarEntry.file("opt/big/blob" + b, 0).withMode(0755), text(random, 25 << 20));
            }
        }
    }

    /** Words and some random bytes: about 3:1 with gzip, like binaries and text in real layers. */
    private static byte[] text(Random random, int size) {
        byte[] out = new byte[size];
        int i = 0;
        while (i < size) {
            if (random.nextInt(8) == 0) {
                out[i++] = (byte) random.nextInt(256);
                continue;
            }
            byte[] word = WORDS[random.nextInt(WORDS.length)].getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            for (int k = 0; k < word.length && i < size; k++) {
                out[i++] = word[k];
            }
            if (i < size) {
                out[i++] = (byte) (random.nextInt(10) == 0 ? '\n' : ' ');
            }
        }
        return out;
    }
}
