package dev.nido.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StateAndFeaturesTest {

    @Test
    void stateIsWrittenInRuncsOrder() {
        State s = new State("1.2.0", "c1", State.Status.RUNNING, 4242, "/b", Map.of("k", "v"), "/b/rootfs",
                State.timestamp(Instant.parse("2024-05-01T10:00:00.120Z")), "");
        assertThat(new String(Json.writeCompact(s), StandardCharsets.UTF_8)).isEqualTo(
                "{\"ociVersion\":\"1.2.0\",\"id\":\"c1\",\"pid\":4242,\"status\":\"running\",\"bundle\":\"/b\","
                        + "\"rootfs\":\"/b/rootfs\",\"created\":\"2024-05-01T10:00:00.12Z\",\"owner\":\"\","
                        + "\"annotations\":{\"k\":\"v\"}}");
    }

    @Test
    void stoppedStatePrintsPidZeroAndReadsBack() {
        State s = new State("1.2.0", "c1", State.Status.STOPPED, 0, "/b", null, null, null, null);
        byte[] json = Json.writePretty(s, "  ");
        assertThat(new String(json, StandardCharsets.UTF_8)).isEqualTo("""
                {
                  "ociVersion": "1.2.0",
                  "id": "c1",
                  "pid": 0,
                  "status": "stopped",
                  "bundle": "/b"
                }
                """);
        assertThat(Json.read(json, State.class, "state.json")).isEqualTo(s);
    }

    @Test
    void statusNamesAreLowerCase() {
        assertThat(Arrays.stream(State.Status.values()).map(State.Status::jsonName))
                .containsExactly("creating", "created", "running", "stopped", "paused");
        assertThat(State.Status.of("paused")).isEqualTo(State.Status.PAUSED);
        assertThatThrownBy(() -> Json.read("{\"status\": \"gone\"}".getBytes(StandardCharsets.UTF_8), State.class,
                "state.json")).hasMessage("state.json: status: unknown status \"gone\" (expected one of creating, "
                        + "created, running, stopped, paused)");
    }

    @Test
    void timestampsAreRfc3339Nano() {
        assertThat(State.timestamp(Instant.parse("2024-05-01T10:00:00Z"))).isEqualTo("2024-05-01T10:00:00Z");
        assertThat(State.timestamp(Instant.parse("2024-05-01T10:00:00.000000001Z")))
                .isEqualTo("2024-05-01T10:00:00.000000001Z");
    }

    @Test
    void features() {
        Features f = Features.current();
        assertThat(f.ociVersionMin()).isEqualTo("1.0.0");
        assertThat(f.ociVersionMax()).isEqualTo("1.2.0");
        assertThat(f.hooks()).containsExactly("prestart", "createRuntime", "createContainer", "startContainer",
                "poststart", "poststop");
        assertThat(f.linux().namespaces()).containsExactlyInAnyOrder("pid", "network", "mount", "ipc", "uts", "user",
                "cgroup", "time");
        assertThat(f.linux().capabilities()).hasSize(41).startsWith("CAP_CHOWN").endsWith("CAP_CHECKPOINT_RESTORE");
        assertThat(f.linux().cgroup()).isEqualTo(new Features.CgroupFeatures(true, true, false, false, false));
        assertThat(f.linux().seccomp().archs()).containsExactly("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32",
                "SCMP_ARCH_AARCH64");
        assertThat(f.linux().seccomp().operators()).hasSize(7);
        assertThat(f.linux().seccomp().actions()).hasSize(9).contains("SCMP_ACT_NOTIFY");
        String json = new String(Json.writeCompact(f), StandardCharsets.UTF_8);
        assertThat(json).startsWith("{\"ociVersionMin\":\"1.0.0\",\"ociVersionMax\":\"1.2.0\",\"hooks\":[")
                .contains("\"apparmor\":{\"enabled\":true},\"selinux\":{\"enabled\":true},"
                        + "\"mountExtensions\":{\"idmap\":{\"enabled\":true}}")
                .contains("\"cgroup\":{\"v1\":true,\"v2\":true,\"systemd\":false,\"systemdUser\":false,\"rdma\":false}");
        assertThat(Json.read(Json.writeCompact(f), Features.class, "features")).isEqualTo(f);
    }
}
