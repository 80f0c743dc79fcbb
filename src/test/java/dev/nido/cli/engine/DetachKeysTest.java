package dev.nido.cli.engine;

import dev.nido.engine.EngineException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DetachKeysTest {
    @Test
    void dockersSyntax() {
        assertThat(AttachSession.keys(null, AttachSession.DOCKER_DETACH)).containsExactly(0x10, 0x11);
        assertThat(AttachSession.keys("ctrl-a,q", null)).containsExactly(0x01, 'q');
        assertThat(AttachSession.keys("ctrl-@,ctrl-\\,ctrl-_", null)).containsExactly(0, 0x1c, 0x1f);
        assertThat(AttachSession.keys("", AttachSession.DOCKER_DETACH)).isEmpty();
        assertThatThrownBy(() -> AttachSession.keys("ctrl-1", null)).isInstanceOf(EngineException.class)
                .hasMessageContaining("--detach-keys ctrl-1");
        assertThatThrownBy(() -> AttachSession.keys("alt-x", null)).isInstanceOf(EngineException.class);
    }
}
