package dev.nido.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real nofollow calls that need no privilege: times of a symlink, user xattrs, fifos. */
class FileMetaCallsTest {
    private final Syscalls sys = Syscalls.real();

    @TempDir
    Path dir;

    @Test
    void lutimensSetsTheSymlinksOwnTimesNotItsTargets() throws IOException {
        Path target = Files.writeString(dir.resolve("target"), "x");
        Files.setLastModifiedTime(target, FileTime.fromMillis(0));
        Path link = Files.createSymbolicLink(dir.resolve("link"), target);
        sys.lutimens(link, 1_600_000_000L, 250_000_000);
        assertThat(Files.getLastModifiedTime(link, LinkOption.NOFOLLOW_LINKS).toInstant())
                .isEqualTo(Instant.ofEpochSecond(1_600_000_000L, 250_000_000));
        assertThat(Files.getAttribute(link, "lastAccessTime", LinkOption.NOFOLLOW_LINKS))
                .isEqualTo(FileTime.from(Instant.ofEpochSecond(1_600_000_000L, 250_000_000)));
        assertThat(Files.getLastModifiedTime(target).toMillis()).isZero();
        assertThat(sys.llistxattr(link)).doesNotContain("user.x");
    }

    @Test
    void userXattrsRoundTrip() throws IOException {
        Path f = Files.writeString(dir.resolve("f"), "x");
        byte[] binary = {0, 1, (byte) 0xff, 'y'};
        sys.lsetxattr(f, "user.nido.test", binary);
        sys.lsetxattr(f, "user.nido.empty", new byte[0]);
        assertThat(sys.llistxattr(f)).contains("user.nido.test", "user.nido.empty");
        assertThat(sys.lgetxattr(f, "user.nido.test")).hasValueSatisfying(v -> assertThat(v).isEqualTo(binary));
        assertThat(sys.lgetxattr(f, "user.nido.empty")).hasValueSatisfying(v -> assertThat(v).isEmpty());
        assertThat(sys.lgetxattr(f, "user.nido.none")).isEmpty();
        byte[] big = "v".repeat(3000).getBytes(StandardCharsets.US_ASCII);
        sys.lsetxattr(f, "user.nido.big", big);
        assertThat(sys.lgetxattr(f, "user.nido.big")).hasValueSatisfying(v -> assertThat(v).isEqualTo(big));
    }

    @Test
    void userXattrsAreRefusedOnSymlinks() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("l"), Path.of("/nonexistent"));
        assertThatThrownBy(() -> sys.lsetxattr(link, "user.x", new byte[] {1}))
                .isInstanceOfSatisfying(LinuxException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EPERM))
                .hasMessage("lsetxattr user.x " + link + ": operation not permitted (EPERM)");
    }

    @Test
    void mknodMakesAFifo() throws IOException {
        Path fifo = dir.resolve("p");
        sys.mknod(fifo, Syscalls.S_IFIFO | 0600, 0, 0);
        int mode = (Integer) Files.getAttribute(fifo, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        assertThat(mode & 0170000).isEqualTo(Syscalls.S_IFIFO);
        assertThatThrownBy(() -> sys.mknod(fifo, Syscalls.S_IFIFO | 0600, 0, 0))
                .hasMessage("mknod " + fifo + ": file exists (EEXIST)");
    }

    @Test
    void lchownToOneselfNeedsNoPrivilegeAndDoesNotFollow() throws IOException {
        Path target = Files.writeString(dir.resolve("t"), "x");
        Path link = Files.createSymbolicLink(dir.resolve("l"), target);
        int uid = (Integer) Files.getAttribute(link, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        int gid = (Integer) Files.getAttribute(link, "unix:gid", LinkOption.NOFOLLOW_LINKS);
        sys.lchown(link, uid, gid);
        sys.lchown(link, -1, -1);
        assertThatThrownBy(() -> sys.lchown(dir.resolve("missing"), uid, gid))
                .hasMessage("lchown " + dir.resolve("missing") + ": no such file or directory (ENOENT)");
    }
}
