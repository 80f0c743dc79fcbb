package dev.nido.oci;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Specs used by several tests. */
final class SpecFixtures {
    private SpecFixtures() {
    }

    /** runc's default spec with every other section of the Linux spec filled in. */
    static final String FULL = """
            {
              "ociVersion": "1.2.0",
              "process": {
                "terminal": true,
                "consoleSize": {"height": 25, "width": 80},
                "user": {"uid": 1000, "gid": 1000, "umask": 18, "additionalGids": [5, 4294967295]},
                "args": ["sh", "-c", "echo hi"],
                "env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm", "EMPTY="],
                "cwd": "/home/user",
                "capabilities": {
                  "bounding": ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"],
                  "effective": ["CAP_AUDIT_WRITE", "CAP_KILL"],
                  "inheritable": ["CAP_KILL"],
                  "permitted": ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"],
                  "ambient": ["CAP_KILL"]
                },
                "rlimits": [
                  {"type": "RLIMIT_NOFILE", "hard": 1024, "soft": 1024},
                  {"type": "RLIMIT_CORE", "hard": 18446744073709551615, "soft": 18446744073709551615}
                ],
                "noNewPrivileges": true,
                "apparmorProfile": "nido-default",
                "oomScoreAdj": 100,
                "scheduler": {"policy": "SCHED_FIFO", "nice": -5, "priority": 10, "flags": ["SCHED_FLAG_RESET_ON_FORK"],
                              "runtime": 1000, "deadline": 2000, "period": 3000},
                "selinuxLabel": "system_u:system_r:svirt_lxc_net_t:s0:c124,c675",
                "ioPriority": {"class": "IOPRIO_CLASS_BE", "priority": 4},
                "execCPUAffinity": {"initial": "0-3", "final": "1"}
              },
              "root": {"path": "rootfs", "readonly": true},
              "hostname": "box",
              "domainname": "example.org",
              "mounts": [
                {"destination": "/proc", "type": "proc", "source": "proc"},
                {"destination": "/dev", "type": "tmpfs", "source": "tmpfs",
                 "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]},
                {"destination": "/dev/pts", "type": "devpts", "source": "devpts",
                 "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]},
                {"destination": "/sys", "type": "sysfs", "source": "sysfs", "options": ["nosuid", "noexec", "nodev", "ro"]},
                {"destination": "/data", "type": "bind", "source": "/srv/data",
                 "options": ["rbind", "rprivate", "rro", "idmap"],
                 "uidMappings": [{"containerID": 0, "hostID": 100000, "size": 65536}],
                 "gidMappings": [{"containerID": 0, "hostID": 100000, "size": 65536}]}
              ],
              "hooks": {
                "prestart": [{"path": "/usr/bin/fix-mounts", "args": ["fix-mounts", "arg1"], "env": ["key1=value1"]}],
                "createRuntime": [{"path": "/usr/bin/setup-network"}],
                "createContainer": [{"path": "/usr/bin/mount-hook", "args": ["-mount", "arg1"], "env": ["key1=value1"]}],
                "startContainer": [{"path": "/usr/bin/refresh-ldcache"}],
                "poststart": [{"path": "/usr/bin/notify-start", "timeout": 5}],
                "poststop": [{"path": "/usr/sbin/cleanup.sh", "args": ["cleanup.sh", "-f"]}]
              },
              "annotations": {"com.example.key1": "value1", "com.example.key2": "value2"},
              "linux": {
                "uidMappings": [{"containerID": 0, "hostID": 100000, "size": 1000},
                                {"containerID": 1000, "hostID": 1000, "size": 1}],
                "gidMappings": [{"containerID": 0, "hostID": 100000, "size": 65536}],
                "sysctl": {"net.ipv4.ip_forward": "1", "net.core.somaxconn": "256"},
                "resources": {
                  "devices": [{"allow": false, "access": "rwm"},
                              {"allow": true, "type": "c", "major": 10, "minor": 229, "access": "rw"}],
                  "memory": {"limit": 536870912, "reservation": 268435456, "swap": -1, "kernel": 0, "kernelTCP": 0,
                             "swappiness": 0, "disableOOMKiller": false, "useHierarchy": true,
                             "checkBeforeUpdate": true},
                  "cpu": {"shares": 1024, "quota": 100000, "burst": 1000, "period": 100000, "realtimeRuntime": 950000,
                          "realtimePeriod": 1000000, "cpus": "2-3", "mems": "0-7", "idle": 0},
                  "pids": {"limit": 32771},
                  "blockIO": {"weight": 10, "leafWeight": 10,
                              "weightDevice": [{"major": 8, "minor": 0, "weight": 500, "leafWeight": 300}],
                              "throttleReadBpsDevice": [{"major": 8, "minor": 0, "rate": 600}],
                              "throttleWriteBpsDevice": [{"major": 8, "minor": 16, "rate": 300}],
                              "throttleReadIOPSDevice": [{"major": 8, "minor": 0, "rate": 100}],
                              "throttleWriteIOPSDevice": [{"major": 8, "minor": 16, "rate": 18446744073709551615}]},
                  "hugepageLimits": [{"pageSize": "2MB", "limit": 209715200}],
                  "network": {"classID": 1048577, "priorities": [{"name": "eth0", "priority": 500}]},
                  "rdma": {"mlx5_1": {"hcaHandles": 3, "hcaObjects": 10000}},
                  "unified": {"io.max": "8:0 rbps=1048576", "memory.high": "1073741824"}
                },
                "cgroupsPath": "/myRuntime/myContainer",
                "namespaces": [{"type": "pid"}, {"type": "network", "path": "/var/run/netns/blue"}, {"type": "ipc"},
                               {"type": "uts"}, {"type": "mount"}, {"type": "user"}, {"type": "cgroup"},
                               {"type": "time"}],
                "devices": [{"path": "/dev/fuse", "type": "c", "major": 10, "minor": 229, "fileMode": 438,
                             "uid": 0, "gid": 0},
                            {"path": "/dev/sda", "type": "b", "major": 8, "minor": 0}],
                "netDevices": {"eth1": {"name": "net1"}},
                "seccomp": {
                  "defaultAction": "SCMP_ACT_ERRNO",
                  "defaultErrnoRet": 1,
                  "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
                  "flags": ["SECCOMP_FILTER_FLAG_LOG"],
                  "listenerPath": "/run/seccomp-agent.sock",
                  "listenerMetadata": "metadata",
                  "syscalls": [
                    {"names": ["getcwd", "chmod"], "action": "SCMP_ACT_ALLOW"},
                    {"names": ["personality"], "action": "SCMP_ACT_ALLOW",
                     "args": [{"index": 0, "value": 4294967295, "op": "SCMP_CMP_EQ"}]},
                    {"names": ["clone"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38,
                     "args": [{"index": 0, "value": 2114060288, "valueTwo": 0, "op": "SCMP_CMP_MASKED_EQ"}]},
                    {"names": ["mount"], "action": "SCMP_ACT_NOTIFY"}
                  ]
                },
                "rootfsPropagation": "slave",
                "maskedPaths": ["/proc/kcore", "/sys/firmware"],
                "readonlyPaths": ["/proc/sys", "/proc/sysrq-trigger"],
                "mountLabel": "system_u:object_r:svirt_sandbox_file_t:s0:c715,c811",
                "intelRdt": {"closID": "guaranteed_group", "l3CacheSchema": "L3:0=7f0;1=1f",
                             "memBwSchema": "MB:0=20;1=70", "enableCMT": true, "enableMBM": false},
                "personality": {"domain": "LINUX"},
                "timeOffsets": {"monotonic": {"secs": 172800, "nanosecs": 0}, "boottime": {"secs": -3600}}
              }
            }
            """;

    static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /** A bundle directory with a rootfs and the given config.json (null for none). */
    static Path bundle(Path dir, String config) throws IOException {
        Files.createDirectories(dir.resolve("rootfs"));
        if (config != null) {
            Files.writeString(dir.resolve("config.json"), config);
        }
        return dir;
    }
}
