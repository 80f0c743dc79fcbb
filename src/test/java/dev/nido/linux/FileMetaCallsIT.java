package dev.nido.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The nofollow metadata calls that need root: owners, device nodes, trusted xattrs. */
class FileMetaCallsIT {
    private final Syscalls sys = Syscalls.real();

    @TempDir
    Path dir;

    @Test
    void lchownChangesTheSymlinkNotItsTarget() throws IOException {
        Path target = Files.writeString(dir.resolve("t"), "x");
        Path link = Files.createSymbolicLink(dir.resolve("l"), target);
        sys.lchown(link, 1234, 5678);
        assertThat(Files.getAttribute(link, "unix:uid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(1234);
        assertThat(Files.getAttribute(link, "unix:gid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(5678);
        assertThat(Files.getAttribute(target, "unix:uid")).isEqualTo(0);
        sys.lchown(link, -1, 42);
        assertThat(Files.getAttribute(link, "unix:uid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(1234);
        assertThat(Files.getAttribute(link, "unix:gid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(42);
    }

    @Test
    void mknodMakesDevicesAndWhiteouts() throws IOException {
        Path nul = dir.resolve("null");
        sys.mknod(nul, Syscalls.S_IFCHR | 0666, 1, 3);
        assertThat(Files.getAttribute(nul, "unix:rdev", LinkOption.NOFOLLOW_LINKS)).isEqualTo(0x103L);
        Path disk = dir.resolve("disk");
        sys.mknod(disk, Syscalls.S_IFBLK | 0660, 259, 1_048_575);
        assertThat(Files.getAttribute(disk, "unix:rdev", LinkOption.NOFOLLOW_LINKS))
                .isEqualTo(FileMetaCalls.makedev(259, 1_048_575));
        Path whiteout = dir.resolve("wh");
        sys.mknod(whiteout, Syscalls.S_IFCHR, 0, 0);
        int mode = (Integer) Files.getAttribute(whiteout, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        assertThat(mode).isEqualTo(Syscalls.S_IFCHR);
        assertThat(Files.getAttribute(whiteout, "unix:rdev", LinkOption.NOFOLLOW_LINKS)).isEqualTo(0L);
    }

    @Test
    void trustedAndSecurityXattrsOnFilesAndSymlinks() throws IOException {
        Path f = Files.writeString(dir.resolve("f"), "x");
        Path link = Files.createSymbolicLink(dir.resolve("l"), f);
        sys.lsetxattr(link, "trusted.nido", "on the link".getBytes(StandardCharsets.UTF_8));
        byte[] cap = {0, 0, 0, 2, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}; // v2, cap_net_raw permitted
        sys.lsetxattr(f, "security.capability", cap);
        assertThat(sys.llistxattr(link)).contains("trusted.nido");
        assertThat(sys.llistxattr(f)).doesNotContain("trusted.nido").contains("security.capability");
        assertThat(sys.lgetxattr(f, "security.capability")).hasValueSatisfying(v -> assertThat(v).isEqualTo(cap));
    }
}
