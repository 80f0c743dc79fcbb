package dev.nido.runtime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MonitorConfigTest {
    @Test
    void readsAndMakesThePlanStep(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("m.json");
        Files.writeString(f, "{\"dir\":\"" + dir + "\",\"socket\":\"/run/x.sock\",\"stdinOpen\":true,"
                + "\"logMaxSize\":100,\"logMaxFiles\":2,\"exitCommand\":[\"/bin/true\",\"a\"]}");
        MonitorConfig c = MonitorConfig.read(f);
        var step = c.step(true, false);
        assertThat(step.flags()).isEqualTo(3);
        assertThat(step.client()).isEmpty();
        assertThat(step.exitCommand()).containsExactly("/bin/true", "a");
        assertThat(step.toShell()).contains("ctr.log").contains("/run/x.sock");
    }

    @Test
    void badFilesNameTheFieldAndTheFix(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("m.json");
        Files.writeString(f, "{\"dir\":\"relative\",\"socket\":\"/s\",\"logMaxFiles\":1}");
        assertThatThrownBy(() -> MonitorConfig.read(f)).hasMessageContaining("dir relative");
        Files.writeString(f, "{\"dir\":\"" + dir + "\",\"socket\":\"/" + "s".repeat(120) + "\",\"logMaxFiles\":1}");
        assertThatThrownBy(() -> MonitorConfig.read(f)).hasMessageContaining("at most 107 bytes");
        Files.writeString(f, "{\"dir\":\"" + dir + "\",\"socket\":\"/s\",\"logMaxFiles\":0}");
        assertThatThrownBy(() -> MonitorConfig.read(f)).hasMessageContaining("logMaxFiles");
        Files.writeString(f, "{\"dir\":\"" + dir + "\",\"socket\":\"/s\",\"logMaxFiles\":1,\"exitCommand\":[\"nido\"]}");
        assertThatThrownBy(() -> MonitorConfig.read(f)).hasMessageContaining("absolute");
        Files.writeString(f, "{not json");
        assertThatThrownBy(() -> MonitorConfig.read(f)).isInstanceOf(ContainerException.class)
                .hasMessageContaining("--monitor " + f);
        assertThatThrownBy(() -> MonitorConfig.read(dir.resolve("missing.json"))).isInstanceOf(ContainerException.class);
    }
}
