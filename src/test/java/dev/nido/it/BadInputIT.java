package dev.nido.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Wrong input of every kind: one clear line on stderr that names what is wrong, a non-zero
 * exit status, and nothing left behind (state directory, cgroup, host mount).
 */
class BadInputIT {
    Sandbox sb;

    @BeforeEach
    void setUp() throws IOException {
        sb = new Sandbox();
        sb.args("/bin/sleep", "1000");
    }

    @AfterEach
    void tearDown() throws IOException {
        sb.close();
    }

    /** Non-zero, exactly one stderr line, no Java trace, containing every piece. */
    static void assertCleanError(Cli.Result r, String... pieces) {
        assertThat(r.code()).as(r.toString()).isNotZero();
        String err = r.err().strip();
        assertThat(err).as(r.toString()).hasLineCount(1).doesNotContain("Exception").doesNotContain("\tat ")
                .doesNotContain("internal error");
        for (String p : pieces) {
            assertThat(err).as(r.toString()).contains(p);
        }
    }

    void assertNothingLeft(String id) throws IOException {
        if (!id.isEmpty() && !id.contains("/")) {
            assertThat(sb.root.resolve(id)).as("state dir of " + id).doesNotExist();
        }
        if (Files.isDirectory(sb.root)) {
            try (var s = Files.list(sb.root)) {
                assertThat(s.toList()).as("state root").isEmpty();
            }
        }
        assertThat(sb.leftoverCgroups()).as("cgroups").isEmpty();
        String mounts = Files.readString(Path.of("/proc/self/mountinfo"));
        assertThat(mounts).as("host mounts").doesNotContain(sb.dir.toString())
                .doesNotContain(Sandbox.rootfs().toString());
    }

    Cli.Result create(String id) {
        return sb.cli("create", "--bundle", sb.bundle.toString(), id);
    }

    String status(String id) throws IOException {
        Cli.Result r = sb.cli("state", id);
        assertThat(r.code()).as(r.toString()).isZero();
        return Sandbox.JSON.readTree(r.out()).get("status").asText();
    }

    @Test
    void malformedJsonNamesLineAndColumn() throws IOException {
        String id = sb.tag + "-json";
        sb.write(id);
        String text = Files.readString(sb.bundle.resolve("config.json"));
        // "terminal": false,  ->  "terminal": false,,  on its own line
        int at = text.indexOf("\"terminal\"");
        int line = (int) text.substring(0, at).chars().filter(c -> c == '\n').count() + 1;
        int comma = text.indexOf(',', at);
        int column = comma - text.lastIndexOf('\n', comma) + 1; // 1-based column of the second comma
        Files.writeString(sb.bundle.resolve("config.json"), text.substring(0, comma + 1) + "," + text.substring(comma + 1));
        Cli.Result r = create(id);
        assertCleanError(r, "config.json", "line " + line, "column " + column);
        assertNothingLeft(id);
    }

    @Test
    void missingProcessArgs() throws IOException {
        String id = sb.tag + "-noargs";
        sb.process().remove("args");
        sb.write(id);
        assertCleanError(create(id), "process.args");
        assertNothingLeft(id);
    }

    @Test
    void emptyProcessArgs() throws IOException {
        String id = sb.tag + "-emptyargs";
        sb.args().write(id);
        assertCleanError(sb.cli("run", "--bundle", sb.bundle.toString(), id), "process.args");
        assertNothingLeft(id);
    }

    @Test
    void unknownNamespaceType() throws IOException {
        String id = sb.tag + "-netns";
        sb.linux().withArray("namespaces").addObject().put("type", "netns");
        sb.write(id);
        assertCleanError(create(id), "\"netns\"", "namespace");
        assertNothingLeft(id);
    }

    @Test
    void relativeRootfsThatDoesNotExist() throws IOException {
        String id = sb.tag + "-noroot";
        ((ObjectNode) sb.config.get("root")).put("path", "no-such-rootfs");
        sb.write(id);
        assertCleanError(create(id), "root.path", "no-such-rootfs");
        assertNothingLeft(id);
    }

    @Test
    void unknownMountOption() throws IOException {
        String id = sb.tag + "-mntopt";
        ObjectNode m = sb.config.withArray("mounts").addObject();
        m.put("destination", "/mnt").put("type", "tmpfs").put("source", "tmpfs");
        m.putArray("options").add("nosuid").add("frobnicate");
        sb.write(id);
        assertCleanError(create(id), "frobnicate");
        assertNothingLeft(id);
    }

    @Test
    void missingBundleDirectory() throws IOException {
        String id = sb.tag + "-nobundle";
        Path missing = sb.dir.resolve("no-such-bundle");
        assertCleanError(sb.cli("create", "--bundle", missing.toString(), id), missing.toString());
        assertNothingLeft(id);
    }

    @Test
    void invalidContainerId() throws IOException {
        sb.write("unused");
        for (String bad : new String[] {"a/b", "..", "", "a b"}) {
            Cli.Result r = create(bad);
            assertCleanError(r, "container id");
            if (!bad.isEmpty()) {
                assertThat(r.err()).contains(bad);
            }
            assertNothingLeft(bad);
        }
        assertThat(sb.dir.resolve("a")).doesNotExist();
    }

    @Test
    void duplicateIdFailsAndLeavesTheFirstIntact() throws IOException {
        String id = sb.tag + "-dup";
        sb.write(id);
        Path pidFile = sb.dir.resolve("pid");
        Cli.Result first = sb.cli("create", "--bundle", sb.bundle.toString(), "--pid-file", pidFile.toString(), id);
        assertThat(first.code()).as(first.toString()).isZero();
        int pid = Integer.parseInt(Files.readString(pidFile).strip());
        var cgroups = sb.leftoverCgroups();

        Cli.Result second = create(id);
        assertCleanError(second, "exists", id);
        Cli.Result secondRun = sb.cli("run", "-d", "--bundle", sb.bundle.toString(), id);
        assertCleanError(secondRun, "exists", id);

        JsonNode st = Sandbox.JSON.readTree(sb.cli("state", id).out());
        assertThat(st.get("status").asText()).isEqualTo("created");
        assertThat(st.get("pid").asInt()).isEqualTo(pid);
        assertThat(LifecycleIT.alive(pid)).isTrue();
        assertThat(sb.leftoverCgroups()).isEqualTo(cgroups);
        assertThat(sb.root.resolve(id).resolve("exec.fifo")).exists();
        Cli.Result start = sb.cli("start", id);
        assertThat(start.code()).as(start.toString()).isZero();
        assertThat(status(id)).isEqualTo("running");
        LifecycleIT.waitFor(() -> LifecycleIT.readComm(pid).equals("sleep"));
    }

    @Test
    void startOfARunningContainer() throws IOException {
        String id = sb.tag + "-startrun";
        sb.write(id);
        assertThat(sb.cli("run", "-d", "--bundle", sb.bundle.toString(), id).code()).isZero();
        assertCleanError(sb.cli("start", id), "running");
        assertThat(status(id)).isEqualTo("running");
    }

    @Test
    void deleteOfARunningContainerWithoutForce() throws IOException {
        String id = sb.tag + "-delrun";
        sb.write(id);
        Path pidFile = sb.dir.resolve("pid");
        assertThat(sb.cli("run", "-d", "--pid-file", pidFile.toString(), "--bundle", sb.bundle.toString(), id)
                .code()).isZero();
        int pid = Integer.parseInt(Files.readString(pidFile).strip());
        assertCleanError(sb.cli("delete", id), id, "running");
        assertThat(status(id)).isEqualTo("running");
        assertThat(LifecycleIT.alive(pid)).isTrue();
        assertThat(sb.leftoverCgroups()).isNotEmpty();
    }

    @Test
    void killOfAnUnknownId() throws IOException {
        String id = sb.tag + "-ghost";
        assertCleanError(sb.cli("kill", id, "KILL"), "\"" + id + "\"", "does not exist");
        assertCleanError(sb.cli("state", id), id, "does not exist");
        assertCleanError(sb.cli("start", id), id, "does not exist");
        assertCleanError(sb.cli("delete", id), id, "does not exist");
        assertCleanError(sb.cli("exec", id, "/bin/true"), id, "does not exist");
        assertNothingLeft(id);
    }

    @Test
    void killWithAnUnknownSignalName() throws IOException {
        String id = sb.tag + "-badsig";
        sb.write(id);
        Path pidFile = sb.dir.resolve("pid");
        assertThat(sb.cli("run", "-d", "--pid-file", pidFile.toString(), "--bundle", sb.bundle.toString(), id)
                .code()).isZero();
        int pid = Integer.parseInt(Files.readString(pidFile).strip());
        assertCleanError(sb.cli("kill", id, "SIGFROB"), "SIGFROB");
        assertCleanError(sb.cli("kill", id, "65"), "65");
        assertThat(LifecycleIT.alive(pid)).isTrue();
        assertThat(status(id)).isEqualTo("running");
    }

    @Test
    void execOfABinaryThatDoesNotExist() throws IOException {
        String id = sb.tag + "-nobin";
        sb.write(id);
        assertThat(sb.cli("run", "-d", "--bundle", sb.bundle.toString(), id).code()).isZero();
        assertCleanError(sb.cli("exec", id, "/bin/no-such-binary"), "/bin/no-such-binary", "no such file");
        assertCleanError(sb.cli("exec", id, "no-such-command"), "no-such-command", "no such file");
        Cli.Result ps = sb.cli("ps", "--format", "json", id);
        assertThat(Sandbox.JSON.readTree(ps.out()).size()).as("no stray exec process: " + ps.out()).isEqualTo(1);
        assertThat(status(id)).isEqualTo("running");
    }

    @Test
    void systemdCgroupIsRefusedClearly() throws IOException {
        String id = sb.tag + "-systemd";
        sb.write(id);
        assertCleanError(sb.cli("--systemd-cgroup", "create", "--bundle", sb.bundle.toString(), id),
                "--systemd-cgroup", "not supported");
        assertCleanError(sb.cli("--systemd-cgroup", "run", "--bundle", sb.bundle.toString(), id),
                "--systemd-cgroup", "not supported");
        assertNothingLeft(id);
    }

    @Test
    void unknownLogFormatIsOneLineNotAStackTrace() throws IOException {
        String id = sb.tag + "-logfmt";
        sb.write(id);
        assertCleanError(sb.cli("--log-format", "xml", "create", "--bundle", sb.bundle.toString(), id),
                "--log-format", "xml");
        assertNothingLeft(id);
    }

    @Test
    void preserveFdsIsRefusedClearly() throws IOException {
        String id = sb.tag + "-fds";
        sb.write(id);
        assertCleanError(sb.cli("create", "--preserve-fds", "2", "--bundle", sb.bundle.toString(), id),
                "--preserve-fds");
        assertNothingLeft(id);
    }
}
