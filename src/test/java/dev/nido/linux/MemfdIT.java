package dev.nido.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MemfdIT {
    private final Syscalls sys = Syscalls.real();
    private final Children children = new Children(sys);
    private Fd memfd = new Fd(-1);

    @AfterEach
    void cleanUp() {
        children.killAll();
        sys.close(memfd);
    }

    @Test
    void holdsTheContentAndIsFullySealed() throws IOException {
        byte[] content = "#!/bin/sh\necho hi\n".getBytes(StandardCharsets.UTF_8);
        memfd = sys.sealedMemfd("nido-test", content);
        Path self = Path.of("/proc/self/fd/" + memfd.value());
        assertThat(Files.readAllBytes(self)).isEqualTo(content);
        assertThat(MemfdCalls.seals(memfd)).isEqualTo(MemfdCalls.ALL_SEALS);
        assertThat(Files.readSymbolicLink(self).toString()).isEqualTo("/memfd:nido-test (deleted)");
        assertThat(FdCallsIT.fdFlags(memfd) & FdCalls.O_CLOEXEC).isNotZero();
    }

    @Test
    void cannotBeRewrittenThroughProc() throws IOException {
        byte[] content = {1, 2, 3};
        memfd = sys.sealedMemfd("nido-test", content);
        Path self = Path.of("/proc/self/fd/" + memfd.value());
        // F_SEAL_WRITE (memfd_create(2)): this kernel lets open(O_WRONLY or O_RDWR) through /proc
        // succeed and refuses every write(2) with EPERM, so the content cannot change (CVE-2019-5736).
        assertThatThrownBy(() -> sys.writeFile(self, "x"))
                .isInstanceOfSatisfying(LinuxException.class, e -> {
                    assertThat(e.operation()).isEqualTo("write");
                    assertThat(e.errno()).isEqualTo(Errno.EPERM);
                });
        try (SeekableByteChannel channel = Files.newByteChannel(self, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            assertThatThrownBy(() -> channel.write(ByteBuffer.wrap(new byte[] {9})))
                    .isInstanceOf(IOException.class).hasMessageContaining("Operation not permitted");
            assertThatThrownBy(() -> channel.truncate(1))
                    .isInstanceOf(IOException.class).hasMessageContaining("Operation not permitted");
        }
        assertThat(Files.readAllBytes(self)).isEqualTo(content);
    }

    @Test
    void aProgramRunsFromIt() throws IOException {
        // /bin/false, not /bin/true: exit code 1 proves that the memfd's program ran.
        memfd = sys.sealedMemfd("nido-false", Files.readAllBytes(Path.of("/bin/false")));
        int pid = children.track(sys.spawn("/proc/self/fd/" + memfd.value(), List.of("false"), List.of(), Map.of()));
        int status = children.waitFor(pid);
        assertThat(WaitStatus.describe(status)).isEqualTo("exited with code 1");
    }
}
