package dev.nido.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SocketCallsIT {
    private final Syscalls sys = Syscalls.real();

    @TempDir
    Path dir;

    @Test
    void connectsToAListeningSocket() throws IOException {
        Path path = dir.resolve("console.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(path));
            Fd fd = sys.connectUnix(path);
            try (SocketChannel peer = server.accept()) {
                sys.writeAll(fd, "ping".getBytes(StandardCharsets.UTF_8), 0, 4);
                ByteBuffer in = ByteBuffer.allocate(4);
                while (in.hasRemaining() && peer.read(in) >= 0) {
                    // read until 4 bytes
                }
                assertThat(new String(in.array(), StandardCharsets.UTF_8)).isEqualTo("ping");

                peer.write(ByteBuffer.wrap("pong".getBytes(StandardCharsets.UTF_8)));
                peer.shutdownOutput();
                assertThat(Children.readAll(sys, fd)).isEqualTo("pong");
                assertThat(FdCallsIT.fdFlags(fd) & FdCalls.O_CLOEXEC).isNotZero();
            } finally {
                sys.close(fd);
            }
        }
    }

    @Test
    void missingSocketIsENOENT() {
        Path path = dir.resolve("none.sock");
        assertThatThrownBy(() -> sys.connectUnix(path))
                .hasMessage("connect " + path + ": no such file or directory (ENOENT)");
    }

    @Test
    void socketWithoutListenerIsRefused() throws IOException {
        Path path = dir.resolve("dead.sock");
        ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(path)).close();
        assertThat(path).exists();
        assertThatThrownBy(() -> sys.connectUnix(path))
                .hasMessage("connect " + path + ": connection refused (ECONNREFUSED)");
    }

    @Test
    void pathTooLongForSunPath() throws IOException {
        Path deep = Files.createDirectories(dir.resolve("d".repeat(100)));
        Path path = deep.resolve("s.sock");
        assertThatThrownBy(() -> sys.connectUnix(path))
                .isInstanceOfSatisfying(LinuxException.class,
                        e -> assertThat(e.errno()).isEqualTo(Errno.ENAMETOOLONG))
                .hasMessage("connect " + path + ": file name too long (ENAMETOOLONG)");
    }
}
