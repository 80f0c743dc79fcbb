package dev.nido.engine;

import dev.nido.oci.DefaultSpec;
import dev.nido.oci.RuntimeSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LxcConfigTest {
    @TempDir
    Path home;

    @Test
    void lxcKeysMapOntoTheOciConfigAndBack() {
        RuntimeSpec s = DefaultSpec.create(false, 0, 0);
        s = LxcConfig.set(s, "lxc.uts.name", "web1");
        s = LxcConfig.set(s, "lxc.environment", "A=1");
        s = LxcConfig.set(s, "lxc.environment", "A=2");
        s = LxcConfig.set(s, "lxc.mount.entry", home + " mnt/home_so none bind,create=dir 0 0");
        s = LxcConfig.set(s, "lxc.cgroup2.memory.max", "max");
        s = LxcConfig.set(s, "lxc.cgroup.pids.max", "100");
        s = LxcConfig.set(s, "lxc.idmap", "u 0 100000 65536");
        s = LxcConfig.set(s, "lxc.init.cmd", "/sbin/init --verbose");
        assertThat(s.hostname()).isEqualTo("web1");
        assertThat(s.process().env()).contains("A=2").doesNotContain("A=1");
        assertThat(s.process().args()).containsExactly("/sbin/init", "--verbose");
        assertThat(s.linux().resources().memory().limit()).isEqualTo(-1L);
        assertThat(s.linux().resources().pids().limit()).isEqualTo(100L);
        assertThat(s.linux().namespaces()).anyMatch(n -> n.type().equals("user"));
        assertThat(LxcConfig.show(s)).contains("lxc.uts.name = web1", "lxc.environment = A=2",
                "lxc.mount.entry = " + home + " mnt/home_so none bind 0 0", "lxc.cgroup2.pids.max = 100",
                "lxc.idmap = u 0 100000 65536");
        s = LxcConfig.set(s, "lxc.mount.entry", "");
        assertThat(LxcConfig.show(s)).noneMatch(l -> l.startsWith("lxc.mount.entry"));
    }

    @Test
    void badSettingsNameTheKeyAndTheFix() {
        RuntimeSpec s = DefaultSpec.create(false, 0, 0);
        assertThatThrownBy(() -> LxcConfig.set(s, "lxc.net.0.link", "br0")).hasMessageContaining("networks");
        assertThatThrownBy(() -> LxcConfig.set(s, "lxc.nope", "1")).hasMessageContaining("unknown key lxc.nope");
        assertThatThrownBy(() -> LxcConfig.set(s, "lxc.idmap", "x 0 1 1")).hasMessageContaining("u|g|b");
        assertThatThrownBy(() -> LxcConfig.set(s, "lxc.idmap", "u -1 1 1")).hasMessageContaining("not an id");
        assertThatThrownBy(() -> LxcConfig.set(s, "lxc.environment", "novalue")).hasMessageContaining("KEY=VALUE");
        assertThatThrownBy(() -> LxcConfig.set(s, "lxc.mount.entry", "only two")).hasMessageContaining("SOURCE TARGET");
        assertThatThrownBy(() -> LxcConfig.set(s, "lxc.start.auto", "yes")).hasMessageContaining("0 or 1");
    }
}
