package dev.nido.it;

import com.fasterxml.jackson.databind.node.ArrayNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * nido-runtime on a pure cgroup v2 host, as most users run: the runtime is started in a private
 * mount namespace whose only cgroup mount is this host's cgroup2 hierarchy (the host's mounts are
 * not touched). Devices are then confined by the eBPF program nido builds and attaches.
 */
class PureV2IT {
    Sandbox sb;

    @BeforeEach
    void setUp() throws IOException {
        sb = new Sandbox();
    }

    @AfterEach
    void tearDown() throws IOException {
        sb.close();
    }

    Cli.Result v2(String... args) {
        List<String> cmd = new ArrayList<>(List.of("unshare", "-m", "--propagation", "private", "sh", "-c",
                "umount -R /sys/fs/cgroup && mount -t cgroup2 nido-v2-view /sys/fs/cgroup && exec \"$0\" \"$@\"",
                Cli.RUNTIME.toString(), "--root", sb.root.toString()));
        cmd.addAll(List.of(args));
        return Cli.raw(null, cmd);
    }

    @Test
    void aContainerRunsInTheV2HierarchyWithItsDevicesConfinedByEbpf() throws IOException {
        for (String set : new String[] {"bounding", "effective", "permitted"}) {
            ((ArrayNode) sb.process().with("capabilities").get(set)).add("CAP_MKNOD").add("CAP_SYSLOG");
        }
        // /dev/kmsg (c 1:11) opens for root with CAP_SYSLOG on this host and is not in the default
        // allow list: only the device program can refuse it
        sb.args("/bin/sh", "-c", "cat /proc/self/cgroup | grep '^0::'; echo x > /dev/null && echo null=ok; "
                + "mknod /dev/kmsg2 c 1 11 && echo mknod=ok; (exec 3</dev/kmsg2) 2>/dev/shm/err "
                + "&& echo kmsg=opened; cat /dev/shm/err; echo done").write("v2dev");
        Cli.Result r = v2("run", "--bundle", sb.bundle.toString(), "v2dev");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("0::" + sb.cgroupParent + "/v2dev", "null=ok", "mknod=ok", "done")
                .contains("Operation not permitted").doesNotContain("kmsg=opened");
        assertThat(sb.leftoverCgroups()).isEmpty();
    }
}
