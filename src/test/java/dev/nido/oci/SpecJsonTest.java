package dev.nido.oci;

import static dev.nido.oci.SpecFixtures.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpecJsonTest {

    @Test
    void fullConfigRoundTripsUnchanged() {
        RuntimeSpec first = SpecReader.parse(bytes(SpecFixtures.FULL), "config.json");
        byte[] written = SpecReader.write(first);
        RuntimeSpec second = SpecReader.parse(written, "config.json");
        assertThat(second).isEqualTo(first);
        assertThat(SpecReader.write(second)).isEqualTo(written);
    }

    @Test
    void everySectionIsRead() {
        RuntimeSpec s = SpecReader.parse(bytes(SpecFixtures.FULL), "config.json");
        Process p = s.process();
        assertThat(p.consoleSize()).isEqualTo(new ConsoleSize(25L, 80L));
        assertThat(p.user()).isEqualTo(new User(1000L, 1000L, 18L, List.of(5L, 4294967295L), null));
        assertThat(p.capabilities().ambient()).containsExactly("CAP_KILL");
        assertThat(p.rlimits().get(1)).isEqualTo(new Rlimit("RLIMIT_CORE", -1L, -1L));
        assertThat(p.scheduler()).isEqualTo(new Scheduler("SCHED_FIFO", -5, 10, List.of("SCHED_FLAG_RESET_ON_FORK"),
                1000L, 2000L, 3000L));
        assertThat(p.ioPriority()).isEqualTo(new IoPriority("IOPRIO_CLASS_BE", 4));
        assertThat(p.execCPUAffinity()).isEqualTo(new ExecCpuAffinity("0-3", "1"));
        assertThat(s.domainname()).isEqualTo("example.org");
        assertThat(s.mounts().get(4).uidMappings()).containsExactly(IdMapping.of(0, 100000, 65536));
        assertThat(s.hooks().poststart().getFirst().timeout()).isEqualTo(5);
        assertThat(s.hooks().prestart().getFirst().args()).containsExactly("fix-mounts", "arg1");
        assertThat(s.annotations()).containsEntry("com.example.key2", "value2");

        Linux l = s.linux();
        assertThat(l.sysctl()).containsExactly(Map.entry("net.ipv4.ip_forward", "1"), Map.entry("net.core.somaxconn", "256"));
        assertThat(l.timeOffsets()).containsEntry("monotonic", new TimeOffset(172800L, 0L))
                .containsEntry("boottime", new TimeOffset(-3600L, null));
        Resources r = l.resources();
        assertThat(r.devices().get(1)).isEqualTo(new DeviceCgroup(true, "c", 10L, 229L, "rw"));
        assertThat(r.memory()).isEqualTo(new Memory(536870912L, 268435456L, -1L, 0L, 0L, 0L, false, true, true));
        assertThat(r.cpu()).isEqualTo(new Cpu(1024L, 100000L, 1000L, 100000L, 950000L, 1000000L, "2-3", "0-7", 0L));
        assertThat(r.pids()).isEqualTo(new Pids(32771L));
        assertThat(r.blockIO().weightDevice()).containsExactly(new WeightDevice(8L, 0L, 500, 300));
        assertThat(r.blockIO().throttleWriteIOPSDevice()).containsExactly(new ThrottleDevice(8L, 16L, -1L));
        assertThat(r.hugepageLimits()).containsExactly(new HugepageLimit("2MB", 209715200L));
        assertThat(r.network()).isEqualTo(new Network(1048577L, List.of(new InterfacePriority("eth0", 500L))));
        assertThat(r.rdma()).containsEntry("mlx5_1", new Rdma(3L, 10000L));
        assertThat(r.unified()).containsEntry("io.max", "8:0 rbps=1048576");
        assertThat(l.cgroupsPath()).isEqualTo("/myRuntime/myContainer");
        assertThat(l.namespace("network")).contains(new Namespace("network", "/var/run/netns/blue"));
        assertThat(l.devices().getFirst()).isEqualTo(new Device("c", "/dev/fuse", 10L, 229L, 438, 0L, 0L));
        assertThat(l.netDevices()).containsEntry("eth1", new NetDevice("net1"));
        assertThat(l.seccomp().syscalls().get(1).args().getFirst())
                .isEqualTo(new SeccompArg(0L, 4294967295L, null, "SCMP_CMP_EQ"));
        assertThat(l.seccomp().defaultErrnoRet()).isEqualTo(1L);
        assertThat(l.intelRdt()).isEqualTo(new IntelRdt("guaranteed_group", null, "L3:0=7f0;1=1f", "MB:0=20;1=70",
                true, false));
        assertThat(l.personality()).isEqualTo(new Personality("LINUX", null));
        assertThat(l.mountLabel()).startsWith("system_u:object_r");
    }

    @Test
    void unsigned64ValuesWriteBackUnsigned() {
        RuntimeSpec s = SpecReader.parse(bytes(SpecFixtures.FULL), "config.json");
        String json = new String(Json.writeCompact(s.process().rlimits()), StandardCharsets.UTF_8);
        assertThat(json).isEqualTo("[{\"type\":\"RLIMIT_NOFILE\",\"hard\":1024,\"soft\":1024},"
                + "{\"type\":\"RLIMIT_CORE\",\"hard\":18446744073709551615,\"soft\":18446744073709551615}]");
    }

    @Test
    void writingEmitsNoNullsAndNoEmptyLists() {
        RuntimeSpec s = new RuntimeSpec("1.2.0", null, new Root("rootfs", null), null, null, List.of(), null,
                Map.of(), new Linux(null, null, null, null, null, null, List.of(), null, null, null, null, null,
                null, null, null, null));
        assertThat(new String(Json.writeCompact(s), StandardCharsets.UTF_8))
                .isEqualTo("{\"ociVersion\":\"1.2.0\",\"root\":{\"path\":\"rootfs\"},\"linux\":{}}");
    }

    @Test
    void absentListsReadAsEmpty() {
        RuntimeSpec s = Json.read(bytes("{\"process\": {\"args\": [\"sh\"]}, \"linux\": {}}"), RuntimeSpec.class, "x");
        assertThat(s.mounts()).isEmpty();
        assertThat(s.annotations()).isEmpty();
        assertThat(s.process().env()).isEmpty();
        assertThat(s.linux().namespaces()).isEmpty();
        assertThat(s.linux().sysctl()).isEmpty();
    }

    @Test
    void unknownFieldsAreIgnoredEverywhere() {
        String json = """
                {"ociVersion": "1.2.0", "vm": {"hypervisor": {"path": "/x"}}, "windows": {"layerFolders": []},
                 "process": {"args": ["sh"], "cwd": "/", "futureField": [1, {"a": null}],
                             "user": {"uid": 0, "gid": 0, "sid": "S-1"}},
                 "root": {"path": "rootfs", "extra": true},
                 "linux": {"memoryPolicy": {"mode": "MPOL_BIND"}, "namespaces": [{"type": "pid", "x": 1}]}}
                """;
        RuntimeSpec s = SpecReader.parse(bytes(json), "config.json");
        assertThat(s.process().args()).containsExactly("sh");
        assertThat(s.linux().namespaces()).containsExactly(new Namespace("pid", null));
        assertThat(new String(SpecReader.write(s), StandardCharsets.UTF_8)).doesNotContain("futureField", "vm", "sid");
    }

    @Test
    void largeIdsParse() {
        RuntimeSpec s = Json.read(bytes("{\"process\": {\"user\": {\"uid\": 4294967295, \"gid\": 4294967294}}}"),
                RuntimeSpec.class, "config.json");
        assertThat(s.process().user().uid()).isEqualTo(4294967295L);
        assertThat(s.process().user().gid()).isEqualTo(4294967294L);
    }

    @Test
    void readNormalisesMountDestinationsAndUser() {
        String json = """
                {"ociVersion": "1.0.2-dev", "root": {"path": "rootfs"}, "process": {"args": ["sh"], "cwd": "/"},
                 "mounts": [{"destination": "dev/shm", "type": "tmpfs"}, {"destination": "/a/./b//c/../d/"}]}
                """;
        RuntimeSpec s = SpecReader.parse(bytes(json), "config.json");
        assertThat(s.mounts()).extracting(Mount::destination).containsExactly("/dev/shm", "/a/b/d");
        assertThat(s.process().user()).isEqualTo(User.of(0, 0));
    }
}
