package dev.nido.image.unpack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class TarWriterTest {
    @Test
    void roundTripsEveryFieldThroughTheReader() {
        String longName = "dir/" + "n".repeat(300);
        String longLink = "../" + "t".repeat(150);
        List<TarEntry> entries = List.of(
                TarEntry.directory("dir").withMode(01777).withMtime(1700000000, 0),
                TarEntry.file("dir/file", 0).withMode(04755).withOwner(1234, 5678).withMtime(1700000001, 0)
                        .withOwnerNames("alice", "staff"),
                TarEntry.file(longName, 0).withOwner(3_000_000, 4_000_000_000L).withMtime(-5, 250_000_000),
                TarEntry.symlink("dir/link", longLink).withMtime(1600000000, 999_999_999),
                TarEntry.hardLink("dir/hard", "dir/file"),
                TarEntry.node("dev/null", EntryType.CHAR_DEVICE, 0666, 1, 3),
                TarEntry.node("dev/sda", EntryType.BLOCK_DEVICE, 0660, 8, 0),
                TarEntry.node("fifo", EntryType.FIFO, 0600, 0, 0),
                TarEntry.file("caps", 0).withXattrs(Map.of("security.capability", new byte[] {1, 0, 0, 2, 0x20},
                        "user.test", "hello".getBytes(StandardCharsets.UTF_8))),
                TarEntry.file("p/".repeat(60) + "split-by-prefix", 0),
                TarEntry.file("owner", 0).withOwnerNames("u".repeat(40), "g"));
        Tars tar = Tars.tar();
        for (TarEntry e : entries) {
            tar.add(e, e.type() == EntryType.FILE ? "data of " + e.name() : "");
        }
        byte[] bytes = tar.bytes();
        TarReader r = new TarReader(new ByteArrayInputStream(bytes), "t");
        for (TarEntry expected : entries) {
            TarEntry got = r.next();
            String data = expected.type() == EntryType.FILE ? "data of " + expected.name() : "";
            assertThat(got).usingRecursiveComparison().ignoringFields("size", "xattrs").isEqualTo(expected);
            assertThat(got.size()).isEqualTo(data.length());
            assertThat(new TreeMap<>(got.xattrs())).usingRecursiveComparison().isEqualTo(new TreeMap<>(expected.xattrs()));
            byte[] buf = new byte[1000];
            int n = Math.max(0, r.read(buf, 0, buf.length));
            assertThat(new String(buf, 0, n, StandardCharsets.UTF_8)).isEqualTo(data);
        }
        assertThat(r.next()).isNull();
    }

    @Test
    void isDeterministicAndUsesPaxOnlyWhenNeeded() {
        byte[] a = Tars.tar().file("a", "1").dir("d").bytes();
        byte[] b = Tars.tar().file("a", "1").dir("d").bytes();
        assertThat(a).isEqualTo(b);
        // header, one data block, header, two end blocks: no PAX header
        assertThat(a).hasSize(5 * 512);
        assertThat(new String(a, 257, 8, StandardCharsets.ISO_8859_1)).isEqualTo("ustar\u000000");
        byte[] withPax = Tars.tar().add(TarEntry.file("x".repeat(101), 0)).bytes();
        assertThat(withPax[156]).isEqualTo((byte) 'x');
        assertThat(new String(withPax, 0, 14, StandardCharsets.US_ASCII)).isEqualTo(TarWriter.PAX_HEADER_NAME);
    }

    @Test
    void paxRecordLengthsCountTheirOwnDigits() {
        for (int valueLength = 80; valueLength < 1010; valueLength++) {
            TreeMap<String, byte[]> records = new TreeMap<>();
            records.put("path", "v".repeat(valueLength).getBytes(StandardCharsets.US_ASCII));
            byte[] formatted = PaxRecords.format(records);
            Map<String, byte[]> parsed = PaxRecords.parse(formatted, formatted.length);
            assertThat(parsed.get("path")).hasSize(valueLength);
        }
    }

    @Test
    void paxTimes() {
        assertThat(TarWriter.paxTime(1700000000, 500_000_000)).isEqualTo("1700000000.5");
        assertThat(TarWriter.paxTime(-2, 500_000_000)).isEqualTo("-1.5");
        assertThat(TarWriter.paxTime(-1, 1)).isEqualTo("-0.999999999");
        assertThat(PaxRecords.time("mtime", "-0.999999999".getBytes(StandardCharsets.US_ASCII)))
                .containsExactly(-1, 1);
        assertThat(PaxRecords.time("mtime", "12".getBytes(StandardCharsets.US_ASCII))).containsExactly(12, 0);
    }

    @Test
    void gnuTarReadsWhatWeWrite() throws Exception {
        byte[] tar = Tars.tar().dir("d").file("d/" + "long".repeat(40), "content")
                .add(TarEntry.file("big-uid", 0).withOwner(9_000_000, 1), "x").symlink("d/l", "../t").bytes();
        Process p = new ProcessBuilder("tar", "-tvf", "-", "--numeric-owner").redirectErrorStream(true).start();
        p.getOutputStream().write(tar);
        p.getOutputStream().close();
        String listing = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(listing).isZero();
        assertThat(listing).contains("d/" + "long".repeat(40)).contains("9000000/1").contains("d/l -> ../t");
    }

    @Test
    void readsWhatGnuTarWrites() throws Exception {
        // GNU tar's own format: 'L' long names, base-256 for what octal cannot hold.
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("nido-gnutar");
        try {
            String name = "n".repeat(150);
            java.nio.file.Files.writeString(dir.resolve(name), "hello");
            Process p = new ProcessBuilder("tar", "--format=gnu", "-cf", "-", "-C", dir.toString(), name).start();
            byte[] tar = p.getInputStream().readAllBytes();
            assertThat(p.waitFor()).isZero();
            TarReader r = new TarReader(new ByteArrayInputStream(tar), "gnu.tar");
            TarEntry e = r.next();
            assertThat(e.name()).isEqualTo(name);
            byte[] buf = new byte[16];
            assertThat(new String(buf, 0, r.read(buf, 0, 16), StandardCharsets.UTF_8)).isEqualTo("hello");
        } finally {
            Trees.removeTree(dir);
        }
    }

    static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }
}
