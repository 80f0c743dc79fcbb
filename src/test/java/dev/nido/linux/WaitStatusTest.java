package dev.nido.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WaitStatusTest {
    @Test
    void exitedWithCode() {
        int status = 3 << 8;
        assertThat(WaitStatus.exited(status)).isTrue();
        assertThat(WaitStatus.signaled(status)).isFalse();
        assertThat(WaitStatus.exitCode(status)).isEqualTo(3);
        assertThat(WaitStatus.shellCode(status)).isEqualTo(3);
        assertThat(WaitStatus.describe(status)).isEqualTo("exited with code 3");
        assertThat(WaitStatus.shellCode(0)).isZero();
    }

    @Test
    void killedBySignal() {
        int status = 9;
        assertThat(WaitStatus.exited(status)).isFalse();
        assertThat(WaitStatus.signaled(status)).isTrue();
        assertThat(WaitStatus.termSignal(status)).isEqualTo(9);
        assertThat(WaitStatus.shellCode(status)).isEqualTo(137);
        assertThat(WaitStatus.describe(status)).isEqualTo("killed by signal KILL");
    }

    @Test
    void coreDump() {
        int status = 0x80 | 11;
        assertThat(WaitStatus.signaled(status)).isTrue();
        assertThat(WaitStatus.coreDumped(status)).isTrue();
        assertThat(WaitStatus.shellCode(status)).isEqualTo(139);
        assertThat(WaitStatus.describe(status)).isEqualTo("killed by signal SEGV (core dumped)");
    }

    @Test
    void stoppedAndContinuedHaveNoShellCode() {
        int stopped = (19 << 8) | 0x7f;
        int continued = 0xffff;
        assertThat(WaitStatus.exited(stopped)).isFalse();
        assertThat(WaitStatus.signaled(stopped)).isFalse();
        assertThat(WaitStatus.signaled(continued)).isFalse();
        assertThatThrownBy(() -> WaitStatus.shellCode(stopped))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("wait status 0x137f: process did not terminate");
    }
}
