package dev.nido.image.unpack;

import static dev.nido.image.unpack.Tars.tar;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nido.image.unpack.UnpackOptions.Mode;
import dev.nido.linux.RecordingSyscalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exact kernel calls an unpack makes through {@code Syscalls} (files themselves are made with
 * Java NIO): the order chown, xattrs, times per entry; directories' times at the end; overlayfs
 * whiteouts and opaque marks. Recorded, so nothing here needs root.
 */
class KernelCallsTest {
    @TempDir
    Path target;

    @Test
    void overlayModeAsRoot() throws IOException {
        RecordingSyscalls sys = new RecordingSyscalls();
        byte[] layer = tar()
                .add(TarEntry.directory("bin").withMtime(100, 0))
                .add(TarEntry.file("bin/ping", 0).withOwner(0, 0).withMode(0755).withMtime(200, 5)
                        .withXattrs(Map.of("security.capability", new byte[] {1, 2})), "elf")
                .add(TarEntry.symlink("sh", "bin/busybox").withOwner(1234, 5678).withMtime(300, 0))
                .marker("bin/.wh.old")
                .marker("bin/.wh..wh..opq")
                .bytes();
        new LayerUnpacker(sys).unpack("layer l", new ByteArrayInputStream(layer), target,
                new UnpackOptions(Mode.OVERLAY, true, null));
        Path t = target.toRealPath();
        assertThat(sys.calls()).containsExactly(
                "lchown " + t + "/bin 0 0",
                "lchown " + t + "/bin/ping 0 0",
                "lsetxattr " + t + "/bin/ping security.capability 0x0102",
                "lutimens " + t + "/bin/ping @200.000000005",
                "lchown " + t + "/sh 1234 5678",
                "lutimens " + t + "/sh @300",
                "mknod " + t + "/bin/old c 0000 0 0",
                "lsetxattr " + t + "/bin trusted.overlay.opaque y",
                "lutimens " + t + "/bin @100");
    }

    @Test
    void withoutRootNothingIsChownedAndTheOpaqueMarkIsAUserXattr() throws IOException {
        RecordingSyscalls sys = new RecordingSyscalls();
        byte[] layer = tar().dir("d").file("d/f", "x").marker("d/.wh..wh..opq").bytes();
        new LayerUnpacker(sys).unpack("layer l", new ByteArrayInputStream(layer), target,
                new UnpackOptions(Mode.OVERLAY, false, null));
        Path t = target.toRealPath();
        assertThat(sys.calls()).containsExactly(
                "lutimens " + t + "/d/f @0",
                "lsetxattr " + t + "/d user.overlay.opaque y",
                "lutimens " + t + "/d @0");
    }
}
