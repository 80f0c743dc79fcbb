package dev.nido.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SpecValidatorTest {
    private static final String BASE = """
            {"ociVersion": "1.2.0", "root": {"path": "rootfs"}, "process": {"args": ["sh"], "cwd": "/"},
             "linux": {"namespaces": [{"type": "pid"}, {"type": "mount"}]}}
            """;
    /** Merges JSON trees in tests only; the product reads JSON with {@link Json}. */
    private static final ObjectMapper TREES = new ObjectMapper();

    /** The violations of BASE with {@code overrides} merged in (objects merge, other values replace). */
    private static List<String> violations(String overrides) {
        try {
            ObjectNode base = (ObjectNode) TREES.readTree(BASE);
            merge(base, (ObjectNode) TREES.readTree(overrides));
            byte[] json = TREES.writeValueAsBytes(base);
            return SpecValidator.validate(Json.read(json, RuntimeSpec.class, "config.json"), null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void merge(ObjectNode into, ObjectNode from) {
        for (Iterator<Map.Entry<String, JsonNode>> it = from.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isObject() && into.get(e.getKey()) instanceof ObjectNode target) {
                merge(target, (ObjectNode) e.getValue());
            } else if (e.getValue().isNull()) {
                into.remove(e.getKey());
            } else {
                into.set(e.getKey(), e.getValue());
            }
        }
    }

    @Test
    void baseAndDefaultSpecsAreValid() {
        assertThat(violations("{}")).isEmpty();
        assertThat(SpecValidator.validate(DefaultSpec.create(false), null)).isEmpty();
        assertThat(SpecValidator.validate(SpecReader.parse(SpecFixtures.bytes(SpecFixtures.FULL), "c"), null)).isEmpty();
    }

    @Test
    void ociVersion() {
        assertThat(violations("{\"ociVersion\": null}")).containsExactly("ociVersion: must be set");
        assertThat(violations("{\"ociVersion\": \"2.0.0\"}"))
                .containsExactly("ociVersion: unsupported version \"2.0.0\" (nido reads runtime-spec 1.x)");
        assertThat(violations("{\"ociVersion\": \"10.0.0\"}")).hasSize(1);
        assertThat(violations("{\"ociVersion\": \"1.0.2-dev\"}")).isEmpty();
        assertThat(violations("{\"ociVersion\": \"1.0\"}")).isEmpty();
    }

    @Test
    void root() {
        assertThat(violations("{\"root\": null}")).containsExactly("root: must be set");
        assertThat(violations("{\"root\": {\"path\": \"\"}}")).containsExactly("root.path: must be set");
    }

    @Test
    void rootfsMustBeADirectoryInTheBundle(@TempDir Path dir) throws IOException {
        RuntimeSpec spec = DefaultSpec.create(false);
        assertThat(SpecValidator.validate(spec, dir))
                .containsExactly("root.path: rootfs directory " + dir.resolve("rootfs") + " does not exist");
        Files.writeString(dir.resolve("rootfs"), "");
        assertThat(SpecValidator.validate(spec, dir)).containsExactly("root.path: " + dir.resolve("rootfs")
                + " is not a directory");
        Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
        assertThat(SpecValidator.validate(spec.withRoot(new Root(elsewhere.toString(), true)), dir)).isEmpty();
        assertThat(SpecValidator.validate(spec.withRoot(new Root("../" + dir.getFileName() + "/elsewhere", true)), dir))
                .isEmpty();
    }

    @Test
    void processIsRequiredByNido() {
        assertThat(violations("{\"process\": null}")).containsExactly(
                "process: must be set (the runtime-spec makes it optional, but nido needs it to create a container)");
    }

    @Test
    void argsAndCwd() {
        assertThat(violations("{\"process\": {\"args\": []}}")).containsExactly("process.args: must not be empty");
        assertThat(violations("{\"process\": {\"args\": null}}")).containsExactly("process.args: must not be empty");
        assertThat(violations("{\"process\": {\"cwd\": null}}")).containsExactly("process.cwd: must be set");
        assertThat(violations("{\"process\": {\"cwd\": \"tmp\"}}"))
                .containsExactly("process.cwd: must be an absolute path, got \"tmp\"");
    }

    @Test
    void environment() {
        assertThat(violations("{\"process\": {\"env\": [\"A=1\", \"FOO\", \"=x\", \"B=\"]}}")).containsExactly(
                "process.env[1]: expected KEY=value, got \"FOO\"",
                "process.env[2]: expected KEY=value, got \"=x\"");
    }

    @Test
    void userIdsAreUint32() {
        assertThat(violations("{\"process\": {\"user\": {\"uid\": 4294967295, \"gid\": 0}}}")).isEmpty();
        assertThat(violations("{\"process\": {\"user\": {\"uid\": 4294967296, \"gid\": -1, \"additionalGids\": [1, -2]}}}"))
                .containsExactly(
                        "process.user.uid: 4294967296 is out of range (expected 0 to 4294967295)",
                        "process.user.gid: -1 is out of range (expected 0 to 4294967295)",
                        "process.user.additionalGids[1]: -2 is out of range (expected 0 to 4294967295)");
    }

    @Test
    void rlimits() {
        assertThat(violations("""
                {"process": {"rlimits": [
                  {"type": "RLIMIT_NOFILE", "soft": 1024, "hard": 1024},
                  {"type": "RLIMIT_FOO", "soft": 1, "hard": 1},
                  {"type": "RLIMIT_NOFILE", "soft": 1, "hard": 2},
                  {"type": "RLIMIT_CORE", "soft": 2048, "hard": 1024},
                  {"type": "RLIMIT_STACK", "soft": 1, "hard": 18446744073709551615},
                  {"type": "RLIMIT_AS", "soft": 18446744073709551615, "hard": 1},
                  {"type": "RLIMIT_CPU"}]}}
                """)).containsExactly(
                "process.rlimits[1].type: unknown rlimit \"RLIMIT_FOO\" (expected one of RLIMIT_CPU, RLIMIT_FSIZE, "
                        + "RLIMIT_DATA, RLIMIT_STACK, RLIMIT_CORE, RLIMIT_RSS, RLIMIT_NPROC, RLIMIT_NOFILE, "
                        + "RLIMIT_MEMLOCK, RLIMIT_AS, RLIMIT_LOCKS, RLIMIT_SIGPENDING, RLIMIT_MSGQUEUE, RLIMIT_NICE, "
                        + "RLIMIT_RTPRIO, RLIMIT_RTTIME)",
                "process.rlimits[2].type: duplicate rlimit RLIMIT_NOFILE (also at process.rlimits[0])",
                "process.rlimits[3]: soft limit 2048 exceeds hard limit 1024",
                "process.rlimits[5]: soft limit 18446744073709551615 exceeds hard limit 1",
                "process.rlimits[6].soft: must be set",
                "process.rlimits[6].hard: must be set");
    }

    @Test
    void capabilities() {
        assertThat(violations("""
                {"process": {"capabilities": {"bounding": ["CAP_CHECKPOINT_RESTORE", "CAP_SYS_ADMIN"],
                  "effective": ["CAP_KILL", "CAP_FOO"], "ambient": ["KILL"]}}}
                """)).containsExactly(
                "process.capabilities.effective[1]: unknown capability \"CAP_FOO\" (expected a name such as "
                        + "CAP_NET_ADMIN; see capabilities(7))",
                "process.capabilities.ambient[0]: unknown capability \"KILL\" (expected a name such as "
                        + "CAP_NET_ADMIN; see capabilities(7))");
    }

    @Test
    void processExtras() {
        assertThat(violations("""
                {"process": {"oomScoreAdj": 1001, "ioPriority": {"class": "IOPRIO_CLASS_X", "priority": 8},
                  "scheduler": {"policy": "SCHED_FAST"}}}
                """)).containsExactly(
                "process.oomScoreAdj: 1001 is out of range (expected -1000 to 1000)",
                "process.ioPriority.class: unknown I/O class \"IOPRIO_CLASS_X\" (expected one of IOPRIO_CLASS_RT, "
                        + "IOPRIO_CLASS_BE, IOPRIO_CLASS_IDLE)",
                "process.ioPriority.priority: 8 is out of range (expected 0 to 7)",
                "process.scheduler.policy: unknown scheduling policy \"SCHED_FAST\" (expected one of SCHED_OTHER, "
                        + "SCHED_FIFO, SCHED_RR, SCHED_BATCH, SCHED_ISO, SCHED_IDLE, SCHED_DEADLINE)");
    }

    @Test
    void namespaces() {
        assertThat(violations("""
                {"linux": {"namespaces": [{"type": "pid"}, {"type": "mount"}, {"type": "netns"},
                  {"type": "pid", "path": "/proc/1/ns/pid"}, {"type": "network", "path": "run/netns/x"}, {}]}}
                """)).containsExactly(
                "linux.namespaces[2].type: unknown namespace \"netns\" (expected one of mount, uts, ipc, pid, "
                        + "network, user, cgroup, time)",
                "linux.namespaces[3].type: duplicate namespace \"pid\" (also at linux.namespaces[0])",
                "linux.namespaces[4].path: must be an absolute path, got \"run/netns/x\"",
                "linux.namespaces[5].type: must be set");
    }

    @Test
    void idMappingsNeedAUserNamespace() {
        assertThat(violations("""
                {"linux": {"uidMappings": [{"containerID": 0, "hostID": 1000, "size": 1}],
                           "gidMappings": [{"containerID": 0, "hostID": 1000, "size": 1}]}}
                """)).containsExactly(
                "linux.uidMappings: requires a user namespace (add {\"type\": \"user\"} to linux.namespaces)",
                "linux.gidMappings: requires a user namespace (add {\"type\": \"user\"} to linux.namespaces)");
        assertThat(violations("{\"linux\": {\"namespaces\": [{\"type\": \"user\"}]}}")).containsExactly(
                "linux.uidMappings: must be set when a new user namespace is created",
                "linux.gidMappings: must be set when a new user namespace is created");
        assertThat(violations("{\"linux\": {\"namespaces\": [{\"type\": \"user\", \"path\": \"/proc/1/ns/user\"}]}}"))
                .isEmpty();
    }

    @Test
    void idMappingsSizesAndOverlaps() {
        assertThat(violations("""
                {"linux": {"namespaces": [{"type": "user"}],
                  "uidMappings": [{"containerID": 0, "hostID": 100000, "size": 1000},
                                  {"containerID": 1000, "hostID": 1000, "size": 1},
                                  {"containerID": 500, "hostID": 200000, "size": 600},
                                  {"containerID": 5000, "hostID": 5000, "size": 0}],
                  "gidMappings": [{"containerID": 0, "hostID": 4294967296, "size": 1}, {"hostID": 1, "size": 1}]}}
                """)).containsExactly(
                "linux.uidMappings[3].size: must be greater than 0, got 0",
                "linux.uidMappings[2]: container range 500-1099 overlaps linux.uidMappings[0] (container range 0-999)",
                "linux.uidMappings[2]: container range 500-1099 overlaps linux.uidMappings[1] (container range 1000-1000)",
                "linux.gidMappings[0].hostID: 4294967296 is out of range (expected 0 to 4294967295)",
                "linux.gidMappings[1].containerID: must be set");
    }

    @Test
    void twoLinesMappingOneHostIdAreRefused() {
        assertThat(violations("""
                {"linux": {"namespaces": [{"type": "user"}],
                  "uidMappings": [{"containerID": 0, "hostID": 100000, "size": 65536},
                                  {"containerID": 70000, "hostID": 165535, "size": 10}],
                  "gidMappings": [{"containerID": 0, "hostID": 100000, "size": 65536}]}}
                """)).containsExactly(
                "linux.uidMappings[1]: host range 165535-165544 overlaps linux.uidMappings[0] (host range 100000-165535);"
                        + " the kernel refuses two lines mapping one host id");
    }

    @Test
    void timeOffsets() {
        assertThat(violations("{\"linux\": {\"timeOffsets\": {\"monotonic\": {\"secs\": 1}}}}")).containsExactly(
                "linux.timeOffsets: requires a time namespace (add {\"type\": \"time\"} to linux.namespaces)");
        assertThat(violations("""
                {"linux": {"namespaces": [{"type": "time"}],
                  "timeOffsets": {"boottime": {"secs": 1, "nanosecs": 1000000000}, "realtime": {"secs": 1}}}}
                """)).containsExactly(
                "linux.timeOffsets.boottime.nanosecs: 1000000000 is out of range (expected 0 to 999999999)",
                "linux.timeOffsets.realtime: unknown clock \"realtime\" (expected monotonic or boottime)");
    }

    @Test
    void mountDestinations() {
        assertThat(violations("""
                {"mounts": [{"destination": "dev/shm", "type": "tmpfs"}, {"destination": "/a/../b"},
                            {"destination": "/../etc"}, {"destination": "a/../../b"}, {"type": "tmpfs"}]}
                """)).containsExactly(
                "mounts[2].destination: \"/../etc\" leads out of the container's root filesystem",
                "mounts[3].destination: \"a/../../b\" leads out of the container's root filesystem",
                "mounts[4].destination: must be set");
    }

    @Test
    void unknownMountOptionsAreNamed() {
        assertThat(violations("""
                {"mounts": [{"destination": "/x", "type": "tmpfs",
                             "options": ["nosuid", "nosiud", "mode=755", "X-mount.mkdir", "rro", "rslave", "bogus"]}]}
                """)).containsExactly(
                "mounts[0].options[1]: unknown mount option \"nosiud\" (filesystem options take the form key=value)",
                "mounts[0].options[6]: unknown mount option \"bogus\" (filesystem options take the form key=value)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"async", "atime", "bind", "defaults", "dev", "diratime", "dirsync", "exec", "iversion",
        "lazytime", "loud", "mand", "noatime", "nodev", "nodiratime", "noexec", "noiversion", "nolazytime", "nomand",
        "norelatime", "nostrictatime", "nosuid", "nosymfollow", "rbind", "relatime", "remount", "ro", "rw", "silent",
        "strictatime", "suid", "sync", "rro", "rrw", "rnosuid", "rsuid", "rnodev", "rdev", "rnoexec", "rexec",
        "rnodiratime", "rdiratime", "rrelatime", "rnorelatime", "rnoatime", "ratime", "rstrictatime",
        "rnostrictatime", "rnosymfollow", "rsymfollow", "private", "rprivate", "shared", "rshared", "slave",
        "rslave", "unbindable", "runbindable", "tmpcopyup", "X-mount.mkdir=0755", "newinstance", "size=1m"})
    void knownMountOptionsAreAccepted(String option) {
        assertThat(violations("{\"mounts\": [{\"destination\": \"/x\", \"options\": [\"" + option + "\"]}]}")).isEmpty();
    }

    @Test
    void idmappedMounts() {
        assertThat(violations("""
                {"mounts": [{"destination": "/x", "type": "bind", "source": "/y", "options": ["rbind", "idmap"]},
                            {"destination": "/z", "type": "bind", "source": "/y", "options": ["bind"],
                             "uidMappings": [{"containerID": 0, "hostID": 1, "size": 1}]}]}
                """)).containsExactly(
                "mounts[0]: idmap needs uidMappings and gidMappings",
                "mounts[1]: uidMappings and gidMappings must be given together");
    }

    @Test
    void rootfsPropagation() {
        assertThat(violations("{\"linux\": {\"rootfsPropagation\": \"rslave\"}}")).isEmpty();
        assertThat(violations("{\"linux\": {\"rootfsPropagation\": \"private\"}}")).isEmpty();
        assertThat(violations("{\"linux\": {\"rootfsPropagation\": \"slavish\"}}")).containsExactly(
                "linux.rootfsPropagation: unknown propagation \"slavish\" (expected one of shared, slave, private, "
                        + "unbindable, rshared, rslave, rprivate, runbindable)");
    }

    @Test
    void devices() {
        assertThat(violations("""
                {"linux": {"devices": [{"path": "/dev/fuse", "type": "c", "major": 10, "minor": 229},
                  {"path": "/dev/fifo", "type": "p"}, {"path": "dev/x", "type": "c"}, {"path": "/dev/y", "type": "x"},
                  {"type": "b", "major": 8, "minor": 0, "uid": -1}]}}
                """)).containsExactly(
                "linux.devices[2].path: must be an absolute path, got \"dev/x\"",
                "linux.devices[2].major: must be set for a device of type c",
                "linux.devices[2].minor: must be set for a device of type c",
                "linux.devices[3].type: unknown device type \"x\" (expected c, b, u or p)",
                "linux.devices[4].path: must be set",
                "linux.devices[4].uid: -1 is out of range (expected 0 to 4294967295)");
    }

    @Test
    void deviceCgroupRules() {
        assertThat(violations("""
                {"linux": {"resources": {"devices": [{"allow": false, "access": "rwm"}, {"allow": true, "type": "x"},
                  {"allow": true, "type": "c", "access": "rwx"}]}}}
                """)).containsExactly(
                "linux.resources.devices[1].type: unknown device type \"x\" (expected a, c or b)",
                "linux.resources.devices[2].access: invalid access \"rwx\" (expected letters of rwm)");
    }

    @Test
    void hooks() {
        assertThat(violations("""
                {"hooks": {"prestart": [{"path": "/bin/ok", "timeout": 1}],
                           "createRuntime": [{"path": "bin/relative"}],
                           "poststop": [{"path": "/bin/x", "timeout": 0, "env": ["NOEQUALS"]}, {}]}}
                """)).containsExactly(
                "hooks.createRuntime[0].path: must be an absolute path, got \"bin/relative\"",
                "hooks.poststop[0].env[0]: expected KEY=value, got \"NOEQUALS\"",
                "hooks.poststop[0].timeout: must be greater than 0, got 0",
                "hooks.poststop[1].path: must be set");
    }

    @Test
    void seccomp() {
        assertThat(violations("""
                {"linux": {"seccomp": {"defaultAction": "SCMP_ACT_DENY", "architectures": ["SCMP_ARCH_Z80"],
                  "flags": ["SECCOMP_FILTER_FLAG_TSYNC"],
                  "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW",
                                "args": [{"index": 6, "value": 1, "op": "SCMP_CMP_EQ"},
                                         {"index": 0, "value": 1, "op": "SCMP_CMP_APPROX"}]},
                               {"names": [], "action": "SCMP_ACT_NOTIFY"}, {"names": ["write"]}]}}}
                """)).containsExactly(
                "linux.seccomp.defaultAction: unknown action \"SCMP_ACT_DENY\" (expected one of SCMP_ACT_KILL, "
                        + "SCMP_ACT_KILL_PROCESS, SCMP_ACT_KILL_THREAD, SCMP_ACT_TRAP, SCMP_ACT_ERRNO, SCMP_ACT_TRACE, "
                        + "SCMP_ACT_ALLOW, SCMP_ACT_LOG, SCMP_ACT_NOTIFY)",
                "linux.seccomp.architectures[0]: unknown architecture \"SCMP_ARCH_Z80\" (expected one of "
                        + String.join(", ", SeccompRules.ARCHITECTURES) + ")",
                "linux.seccomp.flags[0]: unknown flag \"SECCOMP_FILTER_FLAG_TSYNC\" (expected one of "
                        + "SECCOMP_FILTER_FLAG_LOG, SECCOMP_FILTER_FLAG_SPEC_ALLOW, "
                        + "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV)",
                "linux.seccomp.syscalls[0].args[0].index: 6 is out of range (expected 0 to 5)",
                "linux.seccomp.syscalls[0].args[1].op: unknown operator \"SCMP_CMP_APPROX\" (expected one of "
                        + "SCMP_CMP_NE, SCMP_CMP_LT, SCMP_CMP_LE, SCMP_CMP_EQ, SCMP_CMP_GE, SCMP_CMP_GT, "
                        + "SCMP_CMP_MASKED_EQ)",
                "linux.seccomp.syscalls[1].names: must not be empty",
                "linux.seccomp.syscalls[2].action: must be set",
                "linux.seccomp.listenerPath: must be set when an action is SCMP_ACT_NOTIFY");
        assertThat(violations("{\"linux\": {\"seccomp\": {}}}"))
                .containsExactly("linux.seccomp.defaultAction: must be set");
    }

    @Test
    void sysctl() {
        assertThat(violations("{\"linux\": {\"sysctl\": {\"net.ipv4.ip_forward\": \"1\", \"net..x\": \"1\", \"\": \"2\"}}}"))
                .containsExactly("linux.sysctl[\"net..x\"]: invalid key (must not contain \"..\")",
                        "linux.sysctl: a key must not be empty");
    }

    @Test
    void hostnameNeedsAUtsNamespace() {
        assertThat(violations("{\"hostname\": \"box\", \"domainname\": \"example.org\"}")).containsExactly(
                "hostname: unable to set hostname without a private UTS namespace",
                "domainname: unable to set domainname without a private UTS namespace");
        assertThat(violations("{\"hostname\": \"box\", \"linux\": {\"namespaces\": [{\"type\": \"uts\"}]}}")).isEmpty();
        assertThat(violations("{\"hostname\": \"box\", \"linux\": null}")).hasSize(1);
    }

    @Test
    void maskedAndReadonlyPathsAreAbsolute() {
        assertThat(violations("{\"linux\": {\"maskedPaths\": [\"/proc/kcore\", \"proc/keys\"], \"readonlyPaths\": [\"sys\"]}}"))
                .containsExactly("linux.maskedPaths[1]: must be an absolute path, got \"proc/keys\"",
                        "linux.readonlyPaths[0]: must be an absolute path, got \"sys\"");
    }

    @Test
    void cgroupsPathIsAnyString() {
        assertThat(violations("{\"linux\": {\"cgroupsPath\": \"system.slice:nido:abc\"}}")).isEmpty();
        assertThat(violations("{\"linux\": {\"cgroupsPath\": \"relative/path\"}}")).isEmpty();
    }

    @Test
    void everyViolationIsReportedAtOnce(@TempDir Path dir) throws IOException {
        String config = """
                {"ociVersion": "1.2.0", "root": {"path": "rootfs"},
                 "process": {"args": [], "cwd": "/"},
                 "linux": {"namespaces": [{"type": "pid"}, {"type": "mount"}, {"type": "netns"}]},
                 "hooks": {"poststop": [{"path": "cleanup"}]}}
                """;
        Path bundle = SpecFixtures.bundle(dir, config);
        assertThatThrownBy(() -> SpecReader.read(bundle))
                .isInstanceOf(SpecException.class)
                .hasMessage("""
                        config.json: process.args: must not be empty
                        config.json: hooks.poststop[0].path: must be an absolute path, got "cleanup"
                        config.json: linux.namespaces[2].type: unknown namespace "netns" (expected one of mount, \
                        uts, ipc, pid, network, user, cgroup, time)""")
                .satisfies(e -> assertThat(((SpecException) e).violations()).hasSize(3));
    }

    @Test
    void standaloneProcessIsValidatedWithItsOwnPaths() {
        Process p = Json.read("{\"args\": [], \"cwd\": \"x\"}".getBytes(StandardCharsets.UTF_8), Process.class,
                "process.json");
        assertThat(SpecValidator.validateProcess(p, "")).containsExactly("args: must not be empty",
                "cwd: must be an absolute path, got \"x\"");
    }
}
