package dev.nido.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FdCallsIT {
    private final Syscalls sys = Syscalls.real();
    private Pipe pipe;

    @AfterEach
    void closePipe() {
        if (pipe != null) {
            sys.close(pipe.readEnd());
            sys.close(pipe.writeEnd());
        }
    }

    static int fdFlags(Fd fd) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd.value()))) {
            if (line.startsWith("flags:")) {
                return Integer.parseInt(line.substring(6).strip(), 8);
            }
        }
        throw new AssertionError("no flags in fdinfo of " + fd);
    }

    @Test
    void pipeCarriesBytesAndIsCloseOnExec() throws IOException {
        pipe = sys.pipe();
        assertThat(fdFlags(pipe.readEnd()) & FdCalls.O_CLOEXEC).isNotZero();
        assertThat(fdFlags(pipe.writeEnd()) & FdCalls.O_CLOEXEC).isNotZero();

        byte[] data = "xhello world".getBytes(StandardCharsets.UTF_8);
        sys.writeAll(pipe.writeEnd(), data, 1, data.length - 1);
        sys.close(pipe.writeEnd());
        assertThat(Children.readAll(sys, pipe.readEnd())).isEqualTo("hello world");
    }

    @Test
    void writeAllWritesMoreThanOnePipeBuffer() {
        pipe = sys.pipe();
        byte[] big = new byte[256 * 1024];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) i;
        }
        Thread writer = Thread.ofPlatform().start(() -> {
            sys.writeAll(pipe.writeEnd(), big, 0, big.length);
            sys.close(pipe.writeEnd());
        });
        byte[] got = new byte[big.length];
        int total = 0;
        int n;
        while ((n = sys.read(pipe.readEnd(), got, total, Math.min(8192, got.length - total))) > 0) {
            total += n;
        }
        assertThat(total).isEqualTo(big.length);
        assertThat(got).isEqualTo(big);
        assertThat(writer).satisfies(t -> t.join());
    }

    @Test
    void closeOfNegativeOrUnusedFdIsANoOp() {
        sys.close(new Fd(-1));
        sys.close(new Fd(99_999));
    }

    @Test
    void readOfABadFdNamesTheFdAndErrno() {
        assertThatThrownBy(() -> sys.read(new Fd(99_999), new byte[1], 0, 1))
                .isInstanceOf(LinuxException.class)
                .hasMessage("read fd 99999: bad file descriptor (EBADF)");
    }
}
