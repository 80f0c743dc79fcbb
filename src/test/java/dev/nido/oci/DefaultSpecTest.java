package dev.nido.oci;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefaultSpecTest {
    /** runc's example spec, with our hostname, Docker's 14 capabilities and the cgroup namespace always present. */
    private static final String DEFAULT_JSON = """
            {
              "ociVersion": "1.2.0",
              "process": {
                "terminal": true,
                "user": {
                  "uid": 0,
                  "gid": 0
                },
                "args": [
                  "sh"
                ],
                "env": [
                  "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                  "TERM=xterm"
                ],
                "cwd": "/",
                "capabilities": {
                  "bounding": [
                    "CAP_CHOWN",
                    "CAP_DAC_OVERRIDE",
                    "CAP_FSETID",
                    "CAP_FOWNER",
                    "CAP_MKNOD",
                    "CAP_NET_RAW",
                    "CAP_SETGID",
                    "CAP_SETUID",
                    "CAP_SETFCAP",
                    "CAP_SETPCAP",
                    "CAP_NET_BIND_SERVICE",
                    "CAP_SYS_CHROOT",
                    "CAP_KILL",
                    "CAP_AUDIT_WRITE"
                  ],
                  "effective": [
                    "CAP_CHOWN",
                    "CAP_DAC_OVERRIDE",
                    "CAP_FSETID",
                    "CAP_FOWNER",
                    "CAP_MKNOD",
                    "CAP_NET_RAW",
                    "CAP_SETGID",
                    "CAP_SETUID",
                    "CAP_SETFCAP",
                    "CAP_SETPCAP",
                    "CAP_NET_BIND_SERVICE",
                    "CAP_SYS_CHROOT",
                    "CAP_KILL",
                    "CAP_AUDIT_WRITE"
                  ],
                  "permitted": [
                    "CAP_CHOWN",
                    "CAP_DAC_OVERRIDE",
                    "CAP_FSETID",
                    "CAP_FOWNER",
                    "CAP_MKNOD",
                    "CAP_NET_RAW",
                    "CAP_SETGID",
                    "CAP_SETUID",
                    "CAP_SETFCAP",
                    "CAP_SETPCAP",
                    "CAP_NET_BIND_SERVICE",
                    "CAP_SYS_CHROOT",
                    "CAP_KILL",
                    "CAP_AUDIT_WRITE"
                  ]
                },
                "rlimits": [
                  {
                    "type": "RLIMIT_NOFILE",
                    "hard": 1024,
                    "soft": 1024
                  }
                ],
                "noNewPrivileges": true
              },
              "root": {
                "path": "rootfs",
                "readonly": true
              },
              "hostname": "nido",
              "mounts": [
                {
                  "destination": "/proc",
                  "type": "proc",
                  "source": "proc"
                },
                {
                  "destination": "/dev",
                  "type": "tmpfs",
                  "source": "tmpfs",
                  "options": [
                    "nosuid",
                    "strictatime",
                    "mode=755",
                    "size=65536k"
                  ]
                },
                {
                  "destination": "/dev/pts",
                  "type": "devpts",
                  "source": "devpts",
                  "options": [
                    "nosuid",
                    "noexec",
                    "newinstance",
                    "ptmxmode=0666",
                    "mode=0620",
                    "gid=5"
                  ]
                },
                {
                  "destination": "/dev/shm",
                  "type": "tmpfs",
                  "source": "shm",
                  "options": [
                    "nosuid",
                    "noexec",
                    "nodev",
                    "mode=1777",
                    "size=65536k"
                  ]
                },
                {
                  "destination": "/dev/mqueue",
                  "type": "mqueue",
                  "source": "mqueue",
                  "options": [
                    "nosuid",
                    "noexec",
                    "nodev"
                  ]
                },
                {
                  "destination": "/sys",
                  "type": "sysfs",
                  "source": "sysfs",
                  "options": [
                    "nosuid",
                    "noexec",
                    "nodev",
                    "ro"
                  ]
                },
                {
                  "destination": "/sys/fs/cgroup",
                  "type": "cgroup",
                  "source": "cgroup",
                  "options": [
                    "nosuid",
                    "noexec",
                    "nodev",
                    "relatime",
                    "ro"
                  ]
                }
              ],
              "linux": {
                "resources": {
                  "devices": [
                    {
                      "allow": false,
                      "access": "rwm"
                    }
                  ]
                },
                "namespaces": [
                  {
                    "type": "pid"
                  },
                  {
                    "type": "network"
                  },
                  {
                    "type": "ipc"
                  },
                  {
                    "type": "uts"
                  },
                  {
                    "type": "mount"
                  },
                  {
                    "type": "cgroup"
                  }
                ],
                "maskedPaths": [
                  "/proc/acpi",
                  "/proc/asound",
                  "/proc/kcore",
                  "/proc/keys",
                  "/proc/latency_stats",
                  "/proc/timer_list",
                  "/proc/timer_stats",
                  "/proc/sched_debug",
                  "/sys/firmware",
                  "/sys/devices/virtual/powercap",
                  "/proc/scsi"
                ],
                "readonlyPaths": [
                  "/proc/bus",
                  "/proc/fs",
                  "/proc/irq",
                  "/proc/sys",
                  "/proc/sysrq-trigger"
                ]
              }
            }
            """;

    @Test
    void defaultSpecIsExactlyRuncsExample() {
        assertThat(text(Json.writePretty(DefaultSpec.create(false), "  "))).isEqualTo(DEFAULT_JSON);
    }

    @Test
    void writeIndentsWithTabsLikeRuncSpec() {
        assertThat(text(SpecReader.write(DefaultSpec.create(false)))).isEqualTo(DEFAULT_JSON.replace("  ", "\t"));
    }

    @Test
    void defaultSpecIsValidInABundle(@TempDir Path dir) throws IOException {
        Path bundle = SpecFixtures.bundle(dir, null);
        Files.write(bundle.resolve("config.json"), SpecReader.write(DefaultSpec.create(false)));
        assertThat(SpecReader.read(bundle)).isEqualTo(DefaultSpec.create(false));
    }

    @Test
    void rootlessMapsTheCallerAndDropsWhatNeedsPrivilege() {
        RuntimeSpec s = DefaultSpec.create(true, 1000, 1001);
        assertThat(text(Json.writeCompact(s.linux()))).isEqualTo("{"
                + "\"uidMappings\":[{\"containerID\":0,\"hostID\":1000,\"size\":1}],"
                + "\"gidMappings\":[{\"containerID\":0,\"hostID\":1001,\"size\":1}],"
                + "\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"ipc\"},{\"type\":\"uts\"},{\"type\":\"mount\"},"
                + "{\"type\":\"user\"}],"
                + "\"maskedPaths\":[\"/proc/acpi\",\"/proc/asound\",\"/proc/kcore\",\"/proc/keys\","
                + "\"/proc/latency_stats\",\"/proc/timer_list\",\"/proc/timer_stats\",\"/proc/sched_debug\","
                + "\"/sys/firmware\",\"/sys/devices/virtual/powercap\",\"/proc/scsi\"],"
                + "\"readonlyPaths\":[\"/proc/bus\",\"/proc/fs\",\"/proc/irq\",\"/proc/sys\",\"/proc/sysrq-trigger\"]}");
        assertThat(s.mounts()).filteredOn(m -> m.destination().equals("/sys")).containsExactly(
                Mount.of("/sys", "none", "/sys", List.of("rbind", "nosuid", "noexec", "nodev", "ro")));
        assertThat(s.mounts()).filteredOn(m -> m.destination().equals("/dev/pts")).singleElement()
                .extracting(Mount::options).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
                .containsExactly("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620");
        assertThat(s.mounts()).filteredOn(m -> m.destination().equals("/dev/mqueue")).singleElement()
                .isEqualTo(DefaultSpec.create(false).mounts().get(4));
        assertThat(s.process()).isEqualTo(DefaultSpec.create(false).process());
        assertThat(SpecValidator.validate(s, null)).isEmpty();
    }

    @Test
    void rootlessWithoutIdsUsesTheJvmUser() {
        RuntimeSpec s = DefaultSpec.create(true);
        long uid = new com.sun.security.auth.module.UnixSystem().getUid();
        assertThat(s.linux().uidMappings()).containsExactly(IdMapping.of(0, uid, 1));
    }

    private static String text(byte[] json) {
        return new String(json, StandardCharsets.UTF_8);
    }
}
