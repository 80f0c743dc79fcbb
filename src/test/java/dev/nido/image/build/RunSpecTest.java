package dev.nido.image.build;

import dev.nido.oci.RuntimeSpec;
import dev.nido.oci.SpecReader;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The config.json a RUN step hands to nido-runtime. */
class RunSpecTest {
    @Test
    void theBundleOfARunStep() {
        RuntimeSpec s = RunSpec.create(List.of("/bin/sh", "-c", "echo hi"), List.of("PATH=/bin", "X=1"), "/work",
                new Users.Ids(1000, 100, List.of(27L)), Path.of("/store/build/abc/fs/rootfs"), Path.of("/etc/resolv.conf"));
        assertThat(s.process().args()).containsExactly("/bin/sh", "-c", "echo hi");
        assertThat(s.process().env()).containsExactly("PATH=/bin", "X=1");
        assertThat(s.process().cwd()).isEqualTo("/work");
        assertThat(s.process().terminal()).isFalse();
        assertThat(s.process().user().uid()).isEqualTo(1000L);
        assertThat(s.process().user().gid()).isEqualTo(100L);
        assertThat(s.process().user().additionalGids()).containsExactly(27L);
        assertThat(s.process().capabilities().bounding()).contains("CAP_CHOWN", "CAP_SETUID").doesNotContain("CAP_SYS_ADMIN");
        assertThat(s.root().path()).isEqualTo("/store/build/abc/fs/rootfs");
        assertThat(s.root().readonly()).isFalse();
        assertThat(s.hostname()).isEqualTo("nido-build");
        assertThat(s.linux().namespaces()).extracting(n -> n.type())
                .containsExactly("pid", "ipc", "uts", "mount", "cgroup");
        assertThat(s.linux().seccomp()).isNotNull();
        assertThat(s.linux().seccomp().syscalls()).isNotEmpty();
        assertThat(s.mounts().getLast().destination()).isEqualTo("/etc/resolv.conf");
        assertThat(s.mounts().getLast().options()).contains("rbind", "ro");
        String json = new String(SpecReader.write(s), StandardCharsets.UTF_8);
        assertThat(json).contains("\"noNewPrivileges\": false").doesNotContain("\"network\"");
        assertThat(SpecReader.parse(SpecReader.write(s), "config.json")).isEqualTo(s);
    }

    @Test
    void withoutResolvConf() {
        RuntimeSpec s = RunSpec.create(List.of("true"), List.of(), "/", new Users.Ids(0, 0, List.of()), Path.of("/r"), null);
        assertThat(s.mounts()).extracting(m -> m.destination()).doesNotContain("/etc/resolv.conf");
        assertThat(s.process().user().additionalGids()).isEmpty();
    }

    @Test
    void theLauncherIsFoundNextToTheJarOrWhereTold() throws Exception {
        Path home = java.nio.file.Files.createTempDirectory("nido-launcher-");
        try {
            Path bin = java.nio.file.Files.createDirectories(home.resolve("bin"));
            Path launcher = java.nio.file.Files.createFile(bin.resolve("nido-runtime"));
            launcher.toFile().setExecutable(true);
            assertThat(RuntimeLauncher.find(null, Map.of(), home.resolve("target/nido.jar"))).isEqualTo(launcher);
            assertThat(RuntimeLauncher.find(null, Map.of("NIDO_RUNTIME", launcher.toString()), null)).isEqualTo(launcher);
            assertThat(RuntimeLauncher.find(launcher.toString(), Map.of("NIDO_RUNTIME", "/nope"), null)).isEqualTo(launcher);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> RuntimeLauncher.find(null, Map.of(),
                    Path.of("/nowhere/target/nido.jar"))).hasMessageContaining("NIDO_RUNTIME");
        } finally {
            try (var s = java.nio.file.Files.walk(home)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    java.nio.file.Files.delete(p);
                }
            }
        }
    }
}
