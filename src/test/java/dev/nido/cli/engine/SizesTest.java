package dev.nido.cli.engine;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SizesTest {
    @Test
    void memorySizesTakeDockersUnits() {
        assertThat(ContainerVerbs.Sizes.bytes("64m", "--memory")).isEqualTo(64L << 20);
        assertThat(ContainerVerbs.Sizes.bytes("1g", "--memory")).isEqualTo(1L << 30);
        assertThat(ContainerVerbs.Sizes.bytes("512kb", "--memory")).isEqualTo(512L << 10);
        assertThat(ContainerVerbs.Sizes.bytes("1000", "--memory")).isEqualTo(1000L);
        assertThat(ContainerVerbs.Sizes.bytes(null, "--memory")).isNull();
        for (String bad : new String[] {"64x", "m", "-1m", "0", "1.5g", ""}) {
            assertThatThrownBy(() -> ContainerVerbs.Sizes.bytes(bad, "--memory")).as(bad)
                    .hasMessageContaining("--memory " + bad);
        }
        assertThat(ContainerVerbs.Sizes.fraction("0.5", "--cpus")).isEqualTo(0.5);
        assertThatThrownBy(() -> ContainerVerbs.Sizes.fraction("0", "--cpus")).hasMessageContaining("positive");
        assertThatThrownBy(() -> ContainerVerbs.Sizes.number("x", "--pids-limit")).hasMessageContaining("whole number");
    }
}
