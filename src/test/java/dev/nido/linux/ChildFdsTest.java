package dev.nido.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ChildFdsTest {
    @Test
    void plainPathKeepsTheRequestedFds() {
        ChildFds c = ChildFds.of("/bin/true", Map.of(4, new Fd(20), 3, new Fd(21)));
        assertThat(c.execPath()).isEqualTo("/bin/true");
        assertThat(c.fds()).containsExactly(Map.entry(3, new Fd(21)), Map.entry(4, new Fd(20)));
        assertThat(c.maxTarget()).isEqualTo(4);
    }

    @Test
    void stdioIsAlwaysKept() {
        assertThat(ChildFds.of("/bin/true", Map.of()).maxTarget()).isEqualTo(2);
        assertThat(ChildFds.of("/bin/true", Map.of(1, new Fd(9))).maxTarget()).isEqualTo(2);
    }

    @Test
    void procSelfFdIsPassedAboveTheTargets() {
        ChildFds c = ChildFds.of("/proc/self/fd/7", Map.of(3, new Fd(10), 4, new Fd(11)));
        assertThat(c.execPath()).isEqualTo("/proc/self/fd/5");
        assertThat(c.fds()).containsEntry(5, new Fd(7)).hasSize(3);
        assertThat(ChildFds.of("/proc/self/fd/7", Map.of()).execPath()).isEqualTo("/proc/self/fd/3");
    }

    @Test
    void procSelfFdAlreadyMappedIsReused() {
        ChildFds c = ChildFds.of("/proc/self/fd/7", Map.of(3, new Fd(7)));
        assertThat(c.execPath()).isEqualTo("/proc/self/fd/3");
        assertThat(c.fds()).containsExactly(Map.entry(3, new Fd(7)));
    }

    @Test
    void negativeTargetsAreRejected() {
        assertThatThrownBy(() -> ChildFds.of("/bin/true", Map.of(-1, new Fd(3))))
                .hasMessage("spawn /bin/true: negative child fd -1");
    }
}
