package dev.nido.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** AppArmor profiles and SELinux labels: applied where the host runs the LSM, refused clearly where not. */
class LsmIT {
    private Sandbox sb;

    @BeforeEach
    void setUp() throws IOException {
        sb = new Sandbox();
    }

    @AfterEach
    void tearDown() throws IOException {
        sb.close();
    }

    private static boolean appArmor() throws IOException {
        Path p = Path.of("/sys/module/apparmor/parameters/enabled");
        return Files.exists(p) && Files.readString(p).strip().equals("Y");
    }

    @Test
    void anAppArmorProfileThisHostCannotApplyIsRefused() throws IOException {
        sb.process().put("apparmorProfile", "nido-no-such-profile");
        sb.args("/bin/true").write("a1");
        Cli.Result r = sb.cli("run", "--bundle", sb.bundle.toString(), "a1");
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("process.apparmorProfile").contains("nido-no-such-profile")
                .contains(appArmor() ? "no such AppArmor profile" : "does not run AppArmor")
                .doesNotContain("Exception");
        assertThat(sb.root.resolve("a1")).doesNotExist();
        assertThat(sb.leftoverCgroups()).isEmpty();
    }

    @Test
    void anSelinuxLabelOnAHostWithoutSelinuxIsRefused() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.exists(Path.of("/sys/fs/selinux/enforce")),
                "this host runs SELinux");
        sb.process().put("selinuxLabel", "system_u:system_r:container_t:s0");
        sb.args("/bin/true").write("a2");
        Cli.Result r = sb.cli("run", "--bundle", sb.bundle.toString(), "a2");
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("process.selinuxLabel").contains("does not run SELinux").doesNotContain("Exception");
        assertThat(sb.root.resolve("a2")).doesNotExist();
    }
}
