package dev.nido.oci;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KernelNamesTest {

    @Test
    void capabilitiesAreNumberedAsLinuxCapabilityH() {
        assertThat(Capability.values()).hasSize(41);
        for (Capability c : Capability.values()) {
            assertThat(c.number()).as(c.name()).isEqualTo(c.ordinal());
        }
        assertThat(Capability.CAP_CHOWN.number()).isZero();
        assertThat(Capability.CAP_NET_BIND_SERVICE.number()).isEqualTo(10);
        assertThat(Capability.CAP_SYS_ADMIN.number()).isEqualTo(21);
        assertThat(Capability.CAP_AUDIT_WRITE.number()).isEqualTo(29);
        assertThat(Capability.CAP_PERFMON.number()).isEqualTo(38);
        assertThat(Capability.CAP_CHECKPOINT_RESTORE.number()).isEqualTo(40);
        assertThat(Capability.byName("CAP_KILL")).contains(Capability.CAP_KILL);
        assertThat(Capability.byName("KILL")).isEmpty();
        assertThat(Capability.byName(null)).isEmpty();
    }

    @Test
    void rlimitsAreNumberedAsAsmGenericResourceH() {
        assertThat(RlimitType.values()).hasSize(16);
        assertThat(RlimitType.RLIMIT_NOFILE.number()).isEqualTo(7);
        assertThat(RlimitType.RLIMIT_AS.number()).isEqualTo(9);
        assertThat(RlimitType.RLIMIT_RTTIME.number()).isEqualTo(15);
        assertThat(RlimitType.byName("RLIMIT_CORE")).contains(RlimitType.RLIMIT_CORE);
        assertThat(RlimitType.byName("RLIMIT_FOO")).isEmpty();
    }

    @Test
    void namespaceCloneFlags() {
        assertThat(NamespaceType.MOUNT.cloneFlag()).isEqualTo(0x00020000);
        assertThat(NamespaceType.UTS.cloneFlag()).isEqualTo(0x04000000);
        assertThat(NamespaceType.IPC.cloneFlag()).isEqualTo(0x08000000);
        assertThat(NamespaceType.USER.cloneFlag()).isEqualTo(0x10000000);
        assertThat(NamespaceType.PID.cloneFlag()).isEqualTo(0x20000000);
        assertThat(NamespaceType.NETWORK.cloneFlag()).isEqualTo(0x40000000);
        assertThat(NamespaceType.CGROUP.cloneFlag()).isEqualTo(0x02000000);
        assertThat(NamespaceType.TIME.cloneFlag()).isEqualTo(0x00000080);
        assertThat(NamespaceType.byName("network")).contains(NamespaceType.NETWORK);
        assertThat(NamespaceType.byName("net")).isEmpty();
    }
}
