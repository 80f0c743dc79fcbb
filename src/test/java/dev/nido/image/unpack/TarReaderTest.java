package dev.nido.image.unpack;

import static dev.nido.image.unpack.Tars.concat;
import static dev.nido.image.unpack.Tars.data;
import static dev.nido.image.unpack.Tars.end;
import static dev.nido.image.unpack.Tars.header;
import static dev.nido.image.unpack.Tars.pax;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nido.image.ImageException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TarReaderTest {
    private static TarReader reader(byte[] tar) {
        return new TarReader(new ByteArrayInputStream(tar), "layer sha256:abc");
    }

    private static String readAll(TarReader r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[7];
        for (int n; (n = r.read(buf, 0, buf.length)) > 0; ) {
            out.write(buf, 0, n);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void readsUstarEntriesAndTheirData() {
        byte[] tar = concat(header("etc/", '5', 0), header("etc/hostname", '0', 5), data("nido\n"),
                header("etc/link", '2', 0, Map.of(Ustar.LINKNAME, bytes("hostname"))), end());
        TarReader r = reader(tar);
        TarEntry dir = r.next();
        assertThat(dir.type()).isEqualTo(EntryType.DIRECTORY);
        assertThat(dir.name()).isEqualTo("etc/");
        TarEntry file = r.next();
        assertThat(file.name()).isEqualTo("etc/hostname");
        assertThat(file.size()).isEqualTo(5);
        assertThat(file.mode()).isEqualTo(0644);
        assertThat(readAll(r)).isEqualTo("nido\n");
        TarEntry link = r.next();
        assertThat(link.type()).isEqualTo(EntryType.SYMLINK);
        assertThat(link.linkName()).isEqualTo("hostname");
        assertThat(r.next()).isNull();
        assertThat(r.next()).isNull();
    }

    @Test
    void skipsUnreadDataAndAcceptsAMissingEndMarker() {
        byte[] tar = concat(header("a", '0', 600), data(new byte[600]), header("b", '0', 1), data("x"));
        TarReader r = reader(tar);
        assertThat(r.next().name()).isEqualTo("a");
        assertThat(r.next().name()).isEqualTo("b");
        assertThat(r.next()).isNull();
    }

    @Test
    void refusesABadChecksumNamingTheEntry() {
        byte[] h = header("usr/bin/x", '0', 0);
        h[0] = 'U'; // changed after the checksum was computed
        assertThatThrownBy(() -> reader(concat(h, end())).next())
                .isInstanceOf(ImageException.class)
                .hasMessageStartingWith("layer sha256:abc: entry \"Usr/bin/x\": header checksum mismatch at offset 0");
    }

    @Test
    void garbageIsNotATar() {
        byte[] junk = "this is not a tar archive at all, just some text ".repeat(20).getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> reader(junk).next())
                .hasMessageContaining("not a tar archive");
    }

    @Test
    void acceptsTheHistoricSignedChecksum() {
        byte[] h = header("caf\u00e9", '0', 0);
        long signed = 0;
        java.util.Arrays.fill(h, Ustar.CHKSUM, Ustar.CHKSUM + 8, (byte) ' ');
        for (byte b : h) {
            signed += b;
        }
        Tars.put(h, Ustar.CHKSUM, String.format("%06o", signed));
        h[Ustar.CHKSUM + 6] = 0;
        assertThat(reader(concat(h, end())).next().name()).isEqualTo("café");
    }

    @Test
    void truncatedDataNamesTheEntryAndHowMuchCame() {
        byte[] tar = concat(header("big", '0', 4096), new byte[100]);
        TarReader r = reader(tar);
        r.next();
        assertThatThrownBy(() -> readAll(r))
                .isInstanceOf(ImageException.class)
                .hasMessage("layer sha256:abc: entry \"big\": archive truncated (100 of 4096 bytes of data)");
    }

    @Test
    void truncatedDataIsFoundWhenSkippedToo() {
        byte[] tar = concat(header("big", '0', 4096), new byte[100]);
        TarReader r = reader(tar);
        r.next();
        assertThatThrownBy(r::next).hasMessage(
                "layer sha256:abc: entry \"big\": archive truncated (100 of 4096 bytes of data)");
    }

    @Test
    void aTruncatedHeaderNamesTheEntryBefore() {
        byte[] tar = concat(header("a", '0', 1), data("x"), new byte[] {'b', 'c'});
        TarReader r = reader(tar);
        r.next();
        assertThatThrownBy(r::next).hasMessage("layer sha256:abc: after entry \"a\": archive truncated in a header");
    }

    @Test
    void readsBase256Numbers() {
        byte[] size = new byte[12];
        size[0] = (byte) 0x80;
        size[11] = 3;
        byte[] uid = {(byte) 0x80, 0, 0, 0, 0, 0x3b, (byte) 0x9a, (byte) 0xca}; // 999999690? see below
        byte[] mtime = new byte[12];
        java.util.Arrays.fill(mtime, (byte) 0xff); // -1
        byte[] tar = concat(header("n", '0', 0, Map.of(Ustar.SIZE, size, Ustar.UID, uid, Ustar.MTIME, mtime)),
                data("abc"), end());
        TarEntry e = reader(tar).next();
        assertThat(e.size()).isEqualTo(3);
        assertThat(e.uid()).isEqualTo(0x3b9acaL);
        assertThat(e.mtimeSeconds()).isEqualTo(-1);
    }

    @Test
    void numbersMayBePaddedWithSpacesAndNuls() {
        assertThat(Ustar.number(bytes("  1234 \0"), 0, 8)).isEqualTo(01234);
        assertThat(Ustar.number(new byte[8], 0, 8)).isZero();
        assertThat(Ustar.number(bytes("77777777777\0"), 0, 12)).isEqualTo(077777777777L);
        assertThatThrownBy(() -> Ustar.number(bytes("12x4\0\0\0\0"), 0, 8)).hasMessageContaining("not an octal number");
        byte[] huge = new byte[12];
        java.util.Arrays.fill(huge, (byte) 0x7f);
        huge[0] = (byte) 0x80 | 0x3f;
        assertThatThrownBy(() -> Ustar.number(huge, 0, 12)).hasMessageContaining("does not fit");
    }

    @Test
    void badNumericFieldsNameTheField() {
        byte[] tar = concat(header("m", '0', 0, Map.of(Ustar.MODE, bytes("9999999\0"))), end());
        assertThatThrownBy(() -> reader(tar).next())
                .hasMessageStartingWith("layer sha256:abc: entry \"m\": bad mode field: not an octal number");
    }

    @Test
    void paxRecordsOverrideTheHeader() {
        String longName = "d/" + "n".repeat(300);
        Map<String, String> records = new LinkedHashMap<>();
        records.put("path", longName);
        records.put("linkpath", "t".repeat(200));
        records.put("uid", "4000000000");
        records.put("gid", "5678");
        records.put("uname", "somebody-with-a-name-longer-than-32-bytes");
        records.put("mtime", "1700000000.123456789123");
        records.put("SCHILY.xattr.user.test", "v1");
        records.put("LIBARCHIVE.xattr.user.%61b", Base64.getEncoder().withoutPadding().encodeToString(new byte[] {0, 1, 2}));
        byte[] tar = concat(pax('x', records), header("short", '2', 0), end());
        TarEntry e = reader(tar).next();
        assertThat(e.name()).isEqualTo(longName);
        assertThat(e.linkName()).hasSize(200);
        assertThat(e.uid()).isEqualTo(4000000000L);
        assertThat(e.gid()).isEqualTo(5678);
        assertThat(e.uname()).isEqualTo("somebody-with-a-name-longer-than-32-bytes");
        assertThat(e.mtimeSeconds()).isEqualTo(1700000000L);
        assertThat(e.mtimeNanos()).isEqualTo(123456789);
        assertThat(e.xattrs()).containsOnlyKeys("user.test", "user.ab");
        assertThat(e.xattrs().get("user.test")).isEqualTo(bytes("v1"));
        assertThat(e.xattrs().get("user.ab")).containsExactly(0, 1, 2);
    }

    @Test
    void paxSizeCountsForTheData() {
        byte[] tar = concat(pax('x', Map.of("size", "3")), header("f", '0', 0), data("abc"), header("g", '0', 0),
                end());
        TarReader r = reader(tar);
        assertThat(r.next().size()).isEqualTo(3);
        assertThat(readAll(r)).isEqualTo("abc");
        assertThat(r.next().name()).isEqualTo("g");
    }

    @Test
    void globalPaxHeadersApplyToAllLaterEntriesAndLocalOnesWin() {
        // An empty local value deletes the global one: the header's field counts (pax(1)).
        byte[] tar = concat(pax('g', Map.of("uid", "42", "mtime", "-1.5")), header("a", '0', 0),
                pax('x', Map.of("uid", "7")), header("b", '0', 0), pax('x', Map.of("uid", "")), header("c", '0', 0),
                end());
        List<TarEntry> entries = Tars.entries(tar);
        assertThat(entries).extracting(TarEntry::uid).containsExactly(42L, 7L, 0L);
        assertThat(entries.get(0).mtimeSeconds()).isEqualTo(-2);
        assertThat(entries.get(0).mtimeNanos()).isEqualTo(500_000_000);
    }

    @Test
    void readsGnuLongNamesAndLinks() {
        String name = "x/".repeat(80) + "file";
        String link = "y/".repeat(70) + "target";
        byte[] tar = concat(header("././@LongLink", 'L', name.length() + 1), data(name + "\0"),
                header("././@LongLink", 'K', link.length()), data(link),
                header(name.substring(0, 99), '1', 0), end());
        TarEntry e = reader(tar).next();
        assertThat(e.name()).isEqualTo(name);
        assertThat(e.linkName()).isEqualTo(link);
        assertThat(e.type()).isEqualTo(EntryType.HARD_LINK);
    }

    @Test
    void usesThePosixPrefixButNotInGnuHeaders() {
        byte[] posix = header("name", '0', 0, Map.of(Ustar.PREFIX, bytes("some/dir")));
        assertThat(reader(concat(posix, end())).next().name()).isEqualTo("some/dir/name");
        byte[] gnu = header("name", '0', 0, Map.of(Ustar.MAGIC, bytes("ustar  \0"), Ustar.PREFIX, bytes("junk")));
        assertThat(reader(concat(gnu, end())).next().name()).isEqualTo("name");
    }

    @Test
    void refusesSparseFiles() {
        assertThatThrownBy(() -> reader(concat(header("s", 'S', 0), end())).next())
                .hasMessage("layer sha256:abc: entry \"s\": GNU sparse files are not supported");
        byte[] paxSparse = concat(pax('x', Map.of("GNU.sparse.major", "1", "GNU.sparse.minor", "0")),
                header("t", '0', 0), end());
        assertThatThrownBy(() -> reader(paxSparse).next())
                .hasMessage("layer sha256:abc: entry \"t\": GNU sparse files are not supported (PAX GNU.sparse records)");
    }

    @Test
    void refusesUnknownTypes() {
        assertThatThrownBy(() -> reader(concat(header("v", 'V', 0), end())).next())
                .hasMessage("layer sha256:abc: entry \"v\": unsupported entry type 'V'");
    }

    @Test
    void readsEveryEntryType() {
        byte[] tar = concat(header("reg-old", '\0', 0), header("contiguous", '7', 0), header("hard", '1', 0),
                header("char", '3', 0, Map.of(Ustar.DEVMAJOR, bytes("0000001\0"), Ustar.DEVMINOR, bytes("0000003\0"))),
                header("block", '4', 0), header("dir", '5', 0), header("fifo", '6', 0), end());
        assertThat(Tars.entries(tar)).extracting(TarEntry::type).containsExactly(EntryType.FILE, EntryType.FILE,
                EntryType.HARD_LINK, EntryType.CHAR_DEVICE, EntryType.BLOCK_DEVICE, EntryType.DIRECTORY,
                EntryType.FIFO);
        TarEntry c = Tars.entries(tar).get(3);
        assertThat(c.devMajor()).isEqualTo(1);
        assertThat(c.devMinor()).isEqualTo(3);
    }

    @Test
    void oldTarsMarkDirectoriesByATrailingSlash() {
        assertThat(reader(concat(header("dir/", '\0', 0), end())).next().type()).isEqualTo(EntryType.DIRECTORY);
        assertThat(reader(concat(header("file/", '0', 0), end())).next().type()).isEqualTo(EntryType.FILE);
    }

    @Test
    void headerOnlyTypesCarryNoData() {
        // A symlink header with a (wrong) size: no data follows, as Go's archive/tar reads it.
        byte[] tar = concat(header("l", '2', 1000), header("f", '0', 1), data("z"), end());
        TarReader r = reader(tar);
        assertThat(r.next().size()).isZero();
        assertThat(r.next().name()).isEqualTo("f");
        assertThat(readAll(r)).isEqualTo("z");
    }

    @Test
    void boundsMetaHeaders() {
        byte[] tar = concat(header("././@PaxHeader", 'x', TarReader.MAX_META_SIZE + 1L), end());
        assertThatThrownBy(() -> reader(tar).next()).hasMessage("layer sha256:abc: entry \"././@PaxHeader\": "
                + "PAX header of 1048577 bytes is larger than the limit of 1048576");
    }

    @Test
    void refusesMalformedPaxRecords() {
        byte[] body = "99 path=x\n".getBytes(StandardCharsets.UTF_8);
        byte[] tar = concat(header("././@PaxHeader", 'x', body.length), data(body), header("f", '0', 0), end());
        assertThatThrownBy(() -> reader(tar).next()).hasMessageContaining("malformed PAX record at byte 0: bad length 99");
        byte[] badSize = concat(pax('x', Map.of("size", "12abc")), header("f", '0', 0), end());
        assertThatThrownBy(() -> reader(badSize).next()).hasMessageContaining("PAX size is not a decimal number");
    }

    @Test
    void aPaxHeaderWithoutItsEntryIsTruncation() {
        byte[] tar = pax('x', Map.of("path", "lost"));
        assertThatThrownBy(() -> reader(tar).next())
                .hasMessage("layer sha256:abc: entry \"lost\": archive truncated in a header");
    }

    @Test
    void drainReadsPastTheEndMarker() {
        byte[] tar = concat(header("a", '0', 0), end(), new byte[8192]);
        TarReader r = reader(tar);
        r.next();
        assertThat(r.next()).isNull();
        assertThat(r.drain()).isEqualTo(tar.length);
    }

    @Test
    void largeDataIsReadStraightThrough() {
        byte[] content = new byte[3 << 20];
        new java.util.Random(1).nextBytes(content);
        byte[] tar = concat(header("big", '0', content.length), data(content), end());
        TarReader r = reader(tar);
        r.next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 20];
        for (int n; (n = r.read(buf, 0, buf.length)) > 0; ) {
            out.write(buf, 0, n);
        }
        assertThat(out.toByteArray()).isEqualTo(content);
        assertThat(r.next()).isNull();
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
