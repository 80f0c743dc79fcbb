package dev.nido.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileCallsIT {
    private static final int S_IFMT = 0170000;
    private static final int S_IFIFO = 0010000;

    private final Syscalls sys = Syscalls.real();

    @TempDir
    Path dir;

    @Test
    void mkdirThenRmdir() throws IOException {
        Path d = dir.resolve("a");
        assertThat(sys.mkdir(d, 0700)).isTrue();
        assertThat(Files.isDirectory(d)).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(d))).isEqualTo("rwx------");
        assertThat(sys.mkdir(d, 0700)).isFalse();
        sys.rmdir(d);
        assertThat(d).doesNotExist();
        assertThatThrownBy(() -> sys.rmdir(d))
                .isInstanceOf(LinuxException.class)
                .hasMessage("rmdir " + d + ": no such file or directory (ENOENT)");
    }

    @Test
    void mkdirWithoutParentFails() {
        Path d = dir.resolve("missing/a");
        assertThatThrownBy(() -> sys.mkdir(d, 0755))
                .isInstanceOfSatisfying(LinuxException.class, e -> {
                    assertThat(e.errno()).isEqualTo(Errno.ENOENT);
                    assertThat(e.operation()).isEqualTo("mkdir");
                    assertThat(e.path()).isEqualTo(d.toString());
                });
    }

    @Test
    void rmdirOfANonEmptyDirectoryFails() throws IOException {
        Files.createDirectories(dir.resolve("b/c"));
        assertThatThrownBy(() -> sys.rmdir(dir.resolve("b")))
                .hasMessageEndingWith(": directory not empty (ENOTEMPTY)");
    }

    @Test
    void unlinkSaysWhetherItExisted() throws IOException {
        Path f = Files.writeString(dir.resolve("f"), "x");
        assertThat(sys.unlink(f)).isTrue();
        assertThat(f).doesNotExist();
        assertThat(sys.unlink(f)).isFalse();
    }

    @Test
    void writeFileReplacesContentOfAnExistingFileOnly() throws IOException {
        Path f = Files.writeString(dir.resolve("knob"), "old");
        sys.writeFile(f, "42\n");
        assertThat(Files.readString(f)).isEqualTo("42\n");
        Path missing = dir.resolve("nope");
        assertThatThrownBy(() -> sys.writeFile(missing, "1"))
                .hasMessage("open " + missing + ": no such file or directory (ENOENT)");
        assertThat(missing).doesNotExist();
    }

    @Test
    void fifoWriterNeedsAReader() throws IOException {
        Path fifo = dir.resolve("exec.fifo");
        sys.mkfifo(fifo, 0600);
        int mode = (Integer) Files.getAttribute(fifo, "unix:mode");
        assertThat(mode & S_IFMT).isEqualTo(S_IFIFO);
        assertThat(mode & 0777).isEqualTo(0600);

        assertThatThrownBy(() -> sys.openFifoWriter(fifo))
                .hasMessage("open fifo " + fifo + ": no such device or address (ENXIO)");

        // O_RDWR on a fifo does not block on Linux (fifo(7)), so it makes a reader at once.
        try (RandomAccessFile reader = new RandomAccessFile(fifo.toFile(), "rw")) {
            Fd writer = sys.openFifoWriter(fifo);
            try {
                sys.writeAll(writer, new byte[] {'g', 'o'}, 0, 2);
            } finally {
                sys.close(writer);
            }
            byte[] got = new byte[2];
            reader.readFully(got);
            assertThat(new String(got, StandardCharsets.US_ASCII)).isEqualTo("go");
        }
        assertThatThrownBy(() -> sys.mkfifo(fifo, 0600)).hasMessageEndingWith("file exists (EEXIST)");
    }

    @Test
    void writeFileToADirectoryFails() {
        assertThatThrownBy(() -> sys.writeFile(dir, "x"))
                .hasMessage("open " + dir + ": is a directory (EISDIR)");
    }
}
