package dev.nido.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SignalsTest {
    @ParameterizedTest
    @CsvSource({
        "TERM, 15", "SIGTERM, 15", "sigterm, 15", "term, 15", "15, 15", " KILL , 9", "HUP, 1", "SYS, 31",
        "SIGUSR1, 10", "WINCH, 28", "IOT, 6", "CLD, 17", "POLL, 29", "RTMIN, 34", "SIGRTMIN+3, 37",
        "rtmin+15, 49", "RTMAX, 64", "RTMAX-1, 63", "SIGRTMAX-30, 34", "64, 64", "1, 1", "32, 32"})
    void parses(String text, int expected) {
        assertThat(Signals.parse(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "TERMX", "SIG", "0", "65", "-15", "RTMIN+31", "RTMAX-31", "RTMIN-1",
        "RTMAX+1", "RTMIN+", "RTMIN+x", "99999999999"})
    void rejectsWithAClearMessage(String text) {
        assertThatThrownBy(() -> Signals.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("signal \"" + text + "\": ")
                .hasMessageContaining("expected");
    }

    @Test
    void namesRoundTrip() {
        for (int signal = 1; signal <= 64; signal++) {
            if (signal == 32 || signal == 33) {
                continue;
            }
            assertThat(Signals.parse(Signals.name(signal))).as("signal %d", signal).isEqualTo(signal);
        }
    }

    @Test
    void namesLikeKillDashL() {
        assertThat(Signals.name(15)).isEqualTo("TERM");
        assertThat(Signals.name(34)).isEqualTo("RTMIN");
        assertThat(Signals.name(37)).isEqualTo("RTMIN+3");
        assertThat(Signals.name(50)).isEqualTo("RTMAX-14");
        assertThat(Signals.name(64)).isEqualTo("RTMAX");
        assertThatThrownBy(() -> Signals.name(32)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Signals.nameOrNumber(32)).isEqualTo("32");
        assertThat(Signals.nameOrNumber(9)).isEqualTo("KILL");
    }
}
