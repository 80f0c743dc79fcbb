package dev.nido.linux;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ErrnoTest {
    @Test
    void describesKnownValuesLikeStrerrorInLowerCase() {
        assertThat(Errno.describe(2)).isEqualTo("no such file or directory (ENOENT)");
        assertThat(Errno.describe(Errno.EPERM)).isEqualTo("operation not permitted (EPERM)");
        assertThat(Errno.describe(Errno.ENAMETOOLONG)).isEqualTo("file name too long (ENAMETOOLONG)");
        assertThat(Errno.describe(Errno.EHWPOISON)).isEqualTo("memory page has hardware error (EHWPOISON)");
    }

    @Test
    void unknownValuesStillReadWell() {
        assertThat(Errno.describe(999)).isEqualTo("unknown error 999");
        assertThat(Errno.name(999)).isEqualTo("errno 999");
        assertThat(Errno.message(0)).isEqualTo("unknown error 0");
    }

    @Test
    void namesAreTheCNames() {
        assertThat(Errno.name(2)).isEqualTo("ENOENT");
        assertThat(Errno.name(11)).isEqualTo("EAGAIN");
        assertThat(Errno.name(95)).isEqualTo("EOPNOTSUPP");
        assertThat(Errno.name(111)).isEqualTo("ECONNREFUSED");
    }

    @Test
    void byNameIsCaseInsensitiveAndKnowsAliases() {
        assertThat(Errno.byName("enoent")).hasValue(2);
        assertThat(Errno.byName("EWOULDBLOCK")).hasValue(Errno.EAGAIN);
        assertThat(Errno.byName("ENOTSUP")).hasValue(95);
        assertThat(Errno.byName("ENOPE")).isEmpty();
    }

    @Test
    void everyCommonValueHasAName() {
        for (int errno = 1; errno <= 40; errno++) {
            assertThat(Errno.name(errno)).as("errno %d", errno).startsWith("E").doesNotContain(" ");
            assertThat(Errno.byName(Errno.name(errno))).hasValue(errno);
        }
    }

    @Test
    void linuxExceptionMessageNamesOperationPathAndErrno() {
        LinuxException e = new LinuxException("mount proc on", "/run/nido/x/rootfs/proc", Errno.EPERM);
        assertThat(e).hasMessage("mount proc on /run/nido/x/rootfs/proc: operation not permitted (EPERM)");
        assertThat(e.operation()).isEqualTo("mount proc on");
        assertThat(e.path()).isEqualTo("/run/nido/x/rootfs/proc");
        assertThat(e.errno()).isEqualTo(1);
        assertThat(new LinuxException("pipe2", "", Errno.EMFILE)).hasMessage("pipe2: too many open files (EMFILE)");
    }
}
