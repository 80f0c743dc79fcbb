package dev.nido.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The nofollow metadata calls in the recording and explaining implementations. */
class FileMetaSyscallsTest {
    private final RecordingSyscalls inner = new RecordingSyscalls();
    private final List<String> lines = new ArrayList<>();
    private final ExplainingSyscalls sys = new ExplainingSyscalls(inner, lines::add);

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void recordsAndExplainsEachCall() {
        Path x = Path.of("/l/my file");
        sys.lchown(x, 1234, 5678);
        sys.lutimens(x, 1_700_000_000, 0);
        sys.lutimens(x, 1_700_000_000, 500_000_000);
        sys.mknod(Path.of("/dev/null"), Syscalls.S_IFCHR | 0666, 1, 3);
        sys.mknod(Path.of("/dev/sda"), Syscalls.S_IFBLK | 0660, 8, 0);
        sys.mknod(Path.of("/run/p"), Syscalls.S_IFIFO | 0600, 0, 0);
        sys.mknod(Path.of("/l/.wh"), Syscalls.S_IFCHR, 0, 0);
        sys.lsetxattr(x, "user.test", bytes("hello world"));
        sys.lsetxattr(x, "trusted.overlay.opaque", bytes("y"));
        sys.lsetxattr(x, "security.capability", new byte[] {1, 0, 0, 2, 0x20});
        sys.lsetxattr(x, "user.tricky", bytes("0xff"));

        assertThat(lines).containsExactly(
                "chown -h 1234:5678 '/l/my file'",
                "touch -h -d @1700000000 '/l/my file'",
                "touch -h -d @1700000000.5 '/l/my file'",
                "mknod -m 0666 /dev/null c 1 3",
                "mknod -m 0660 /dev/sda b 8 0",
                "mknod -m 0600 /run/p p",
                "mknod -m 0000 /l/.wh c 0 0",
                "setfattr -h -n user.test -v 'hello world' '/l/my file'",
                "setfattr -h -n trusted.overlay.opaque -v y '/l/my file'",
                "setfattr -h -n security.capability -v 0x0100000220 '/l/my file'",
                "setfattr -h -n user.tricky -v 0x30786666 '/l/my file'");
        assertThat(inner.calls()).containsExactly(
                "lchown /l/my file 1234 5678",
                "lutimens /l/my file @1700000000",
                "lutimens /l/my file @1700000000.5",
                "mknod /dev/null c 0666 1 3",
                "mknod /dev/sda b 0660 8 0",
                "mknod /run/p p 0600",
                "mknod /l/.wh c 0000 0 0",
                "lsetxattr /l/my file user.test 'hello world'",
                "lsetxattr /l/my file trusted.overlay.opaque y",
                "lsetxattr /l/my file security.capability 0x0100000220",
                "lsetxattr /l/my file user.tricky 0x30786666");
    }

    @Test
    void readsPrintNothingAndTheRecorderAnswersWhatWasSet() {
        Path x = Path.of("/x");
        sys.lsetxattr(x, "user.b", bytes("2"));
        sys.lsetxattr(x, "user.a", bytes("1"));
        lines.clear();
        assertThat(sys.llistxattr(x)).containsExactly("user.a", "user.b");
        assertThat(sys.lgetxattr(x, "user.a")).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("1")));
        assertThat(sys.lgetxattr(x, "user.none")).isEmpty();
        assertThat(sys.llistxattr(Path.of("/y"))).isEmpty();
        assertThat(lines).isEmpty();
        assertThat(inner.calls()).endsWith("llistxattr /x", "lgetxattr /x user.a", "lgetxattr /x user.none",
                "llistxattr /y");
    }

    @Test
    void aTestDoubleWithoutTheseCallsRefusesThem() {
        Syscalls partial = new Syscalls() {
            @Override
            public Pipe pipe() {
                return null;
            }

            @Override
            public int read(Fd fd, byte[] buf, int off, int len) {
                return 0;
            }

            @Override
            public void writeAll(Fd fd, byte[] buf, int off, int len) {
            }

            @Override
            public void close(Fd fd) {
            }

            @Override
            public Fd sealedMemfd(String name, byte[] content) {
                return null;
            }

            @Override
            public int spawn(String path, List<String> argv, List<String> env, java.util.Map<Integer, Fd> fds) {
                return 0;
            }

            @Override
            public int waitpid(int pid) {
                return 0;
            }

            @Override
            public void kill(int pid, int signal) {
            }

            @Override
            public boolean alive(int pid) {
                return false;
            }

            @Override
            public void mkfifo(Path path, int mode) {
            }

            @Override
            public Fd openFifoWriter(Path path) {
                return null;
            }

            @Override
            public Fd connectUnix(Path path) {
                return null;
            }

            @Override
            public boolean mkdir(Path path, int mode) {
                return false;
            }

            @Override
            public void rmdir(Path path) {
            }

            @Override
            public boolean unlink(Path path) {
                return false;
            }

            @Override
            public void writeFile(Path path, String content) {
            }

            @Override
            public Fd loadCgroupDeviceProgram(byte[] insns, String license) {
                return null;
            }

            @Override
            public void attachCgroupDeviceProgram(Fd prog, Path cgroupDir) {
            }
        };
        assertThatThrownBy(() -> partial.lchown(Path.of("/x"), 0, 0))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageEndingWith("does not implement lchown");
    }

    @Test
    void makedevMatchesGlibc() {
        assertThat(FileMetaCalls.makedev(1, 3)).isEqualTo(0x103L);
        assertThat(FileMetaCalls.makedev(8, 0)).isEqualTo(0x800L);
        // major 0x12345, minor 0x6789a: the value glibc's makedev() gives (checked with a C program)
        assertThat(FileMetaCalls.makedev(0x12345, 0x6789a)).isEqualTo(0x000120006783459aL);
        assertThat(XattrCalls.names(bytes("user.a\0trusted.b\0"))).containsExactly("user.a", "trusted.b");
    }
}
