package dev.nido.engine;

import dev.nido.oci.Mount;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The engine's flag handling, without a kernel: volumes, environment, capabilities. */
class EngineLogicTest {
    @TempDir
    Path host;

    @Test
    void aVolumeBecomesARecursiveBindWithItsOptions() {
        Mount m = Volumes.bind(host + ":/data:ro,rslave");
        assertThat(m.destination()).isEqualTo("/data");
        assertThat(m.source()).isEqualTo(host.toString());
        assertThat(m.options()).containsExactly("rbind", "ro", "rslave");
        assertThat(Volumes.bind(host + ":/data").options()).containsExactly("rbind");
    }

    @Test
    void badVolumesSayWhatIsWrong() {
        assertThatThrownBy(() -> Volumes.bind("data:/data")).hasMessageContaining("absolute");
        assertThatThrownBy(() -> Volumes.bind(host + "/missing:/data")).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> Volumes.bind(host + ":data")).hasMessageContaining("container path must be absolute");
        assertThatThrownBy(() -> Volumes.bind(host + ":/data:rx")).hasMessageContaining("unknown option \"rx\"");
        assertThatThrownBy(() -> Volumes.bind("/only")).hasMessageContaining("HOST/PATH:/CONTAINER/PATH");
        assertThatThrownBy(() -> Volumes.tmpfs("run")).hasMessageContaining("--tmpfs run");
        assertThat(Volumes.tmpfs("/run:size=1m").options()).containsExactly("nosuid", "nodev", "size=1m");
    }

    @Test
    void flagsReplaceTheImagesEnvironmentAndPathIsAlwaysThere() {
        List<String> env = SpecFromImage.env(List.of("A=1", "B=2"), List.of("B=3", "C=4"));
        assertThat(env).containsExactly("A=1", "B=3", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                "C=4");
        assertThatThrownBy(() -> SpecFromImage.env(List.of(), List.of("=x"))).hasMessageContaining("KEY=VALUE");
    }

    @Test
    void capabilityFlagsTakeDockersShortNames() {
        assertThat(SpecFromImage.capName("net_admin")).isEqualTo("CAP_NET_ADMIN");
        assertThat(SpecFromImage.capName("CAP_SYS_TIME")).isEqualTo("CAP_SYS_TIME");
        assertThatThrownBy(() -> SpecFromImage.capName("FLY")).hasMessageContaining("unknown capability");
    }

    @Test
    void dockersExitCodesAreToldFromTheRuntimesWords() {
        assertThat(Runtime.startFailure("find the executable nosuch: exec: \"nosuch\": executable file not found in"
                + " $PATH: no such file or directory (ENOENT)", 1)).isEqualTo(127);
        assertThat(Runtime.startFailure("find the executable /etc/passwd: permission denied (EACCES)", 1))
                .isEqualTo(126);
        assertThat(Runtime.startFailure("", 1)).isEqualTo(1);
    }
}
