package dev.nido.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/** spec, features, --version, --log/--log-format and the state JSON, as engines read them. */
class SpecAndFeaturesIT {
    Sandbox sb;
    Path fresh;

    @BeforeEach
    void setUp() throws IOException {
        sb = new Sandbox();
        fresh = sb.dir.resolve("fresh");
        Files.createDirectories(fresh);
    }

    @AfterEach
    void tearDown() throws IOException {
        sb.close();
    }

    static List<String> names(JsonNode object) {
        List<String> out = new ArrayList<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }

    static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    @Test
    void specWritesAConfigThatRunAccepts() throws IOException {
        Files.createSymbolicLink(fresh.resolve("rootfs"), Sandbox.rootfs());
        Cli.Result s = sb.cli("spec", "--bundle", fresh.toString());
        assertThat(s.code()).as(s.toString()).isZero();
        assertThat(s.out()).isEmpty();
        JsonNode c = Sandbox.JSON.readTree(fresh.resolve("config.json").toFile());
        assertThat(c.get("ociVersion").asText()).startsWith("1.");
        assertThat(c.at("/root/path").asText()).isEqualTo("rootfs");
        assertThat(c.at("/process/terminal").asBoolean()).isTrue();
        assertThat(texts(c.at("/process/args"))).containsExactly("sh");
        // the file exactly as written (terminal, shell and all), only the cgroup kept under this test's parent
        String id = sb.tag + "-spec";
        String text = Files.readString(fresh.resolve("config.json"));
        assertThat(text).doesNotContain("cgroupsPath");
        ((com.fasterxml.jackson.databind.node.ObjectNode) c.get("linux")).put("cgroupsPath",
                sb.cgroupParent + "/" + id);
        Files.write(fresh.resolve("config.json"), Sandbox.JSON.writeValueAsBytes(c));
        Cli.Result r = Cli.exec("echo spec-$((20+3)); exit 4\n", sb.root, "run", "--bundle", fresh.toString(), id);
        assertThat(r.code()).as(r.toString()).isEqualTo(4);
        assertThat(r.out()).contains("spec-23");
        assertThat(sb.root.resolve(id)).doesNotExist();
        assertThat(sb.leftoverCgroups()).isEmpty();
    }

    @Test
    void specRefusesToOverwriteAnExistingConfig() throws IOException {
        Path f = fresh.resolve("config.json");
        Files.writeString(f, "{\"keep\": true}");
        Cli.Result s = sb.cli("spec", "--bundle", fresh.toString());
        assertThat(s.code()).as(s.toString()).isNotZero();
        assertThat(s.err().strip()).as(s.toString()).hasLineCount(1).contains(f.toString()).contains("exists")
                .doesNotContain("Exception");
        assertThat(Files.readString(f)).isEqualTo("{\"keep\": true}");
    }

    @Test
    void specIntoAMissingBundleDirectoryFailsClearly() throws IOException {
        Path missing = sb.dir.resolve("no-such-dir");
        Cli.Result s = sb.cli("spec", "--bundle", missing.toString());
        assertThat(s.code()).as(s.toString()).isNotZero();
        assertThat(s.err().strip()).as(s.toString()).hasLineCount(1).contains(missing.toString())
                .doesNotContain("Exception").doesNotContain("internal error");
        assertThat(missing).doesNotExist();
    }

    @Test
    void rootlessSpecHasAUserNamespaceAndMappings() throws IOException {
        Cli.Result s = sb.cli("spec", "--rootless", "--bundle", fresh.toString());
        assertThat(s.code()).as(s.toString()).isZero();
        JsonNode c = Sandbox.JSON.readTree(fresh.resolve("config.json").toFile());
        List<String> ns = StreamSupport.stream(c.at("/linux/namespaces").spliterator(), false)
                .map(n -> n.get("type").asText()).toList();
        assertThat(ns).contains("user", "mount", "pid").doesNotContain("network");
        long uid = ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
        long gid = ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:gid")).longValue();
        for (String key : new String[] {"uidMappings", "gidMappings"}) {
            JsonNode m = c.at("/linux/" + key);
            assertThat(m.isArray() && m.size() == 1).as(key + ": " + m).isTrue();
            assertThat(m.get(0).get("containerID").asLong()).as(key).isZero();
            assertThat(m.get(0).get("hostID").asLong()).as(key).isEqualTo(key.startsWith("uid") ? uid : gid);
            assertThat(m.get(0).get("size").asLong()).as(key).isEqualTo(1);
        }
        // a rootless user cannot give its ptys gid=5 (runc drops the option too)
        for (JsonNode m : c.get("mounts")) {
            assertThat(texts(m.path("options"))).as(m.toString()).noneMatch(o -> o.startsWith("gid="));
        }
    }

    @Test
    void featuresDescribesVersionsNamespacesAndHooks() throws IOException {
        Cli.Result f = sb.cli("features");
        assertThat(f.code()).as(f.toString()).isZero();
        JsonNode j = Sandbox.JSON.readTree(f.out());
        assertThat(j.get("ociVersionMin").asText()).matches("1\\.\\d+\\.\\d+");
        assertThat(j.get("ociVersionMax").asText()).matches("1\\.\\d+\\.\\d+");
        assertThat(j.get("ociVersionMax").asText()).isEqualTo("1.2.0");
        assertThat(texts(j.at("/linux/namespaces"))).contains("mount", "uts", "ipc", "pid", "network", "user",
                "cgroup", "time");
        assertThat(texts(j.get("hooks"))).containsExactlyInAnyOrder("prestart", "createRuntime", "createContainer",
                "startContainer", "poststart", "poststop");
        assertThat(texts(j.get("mountOptions"))).contains("rbind", "ro", "nosuid", "nodev", "noexec");
    }

    @Test
    void versionNamesTheRuntimeAndTheSpec() {
        Cli.Result v = sb.cli("--version");
        assertThat(v.code()).as(v.toString()).isZero();
        assertThat(v.out()).containsPattern("(?m)^nido-runtime version \\S+").contains("spec: 1.2.0");
        assertThat(v.err()).isEmpty();
    }

    @Test
    void everyCommandHasHelpWithAnExample() {
        List<String> broken = new ArrayList<>();
        for (String cmd : new String[] {"create", "start", "run", "state", "kill", "delete", "list", "ps", "exec",
                "spec", "features"}) {
            Cli.Result h = sb.cli(cmd, "--help");
            if (h.code() != 0 || !h.out().contains("Usage:") || !h.out().contains("Example")) {
                broken.add(cmd + " --help: exit " + h.code() + ": " + h.err().strip().lines().findFirst().orElse(""));
            }
        }
        assertThat(broken).isEmpty();
        Cli.Result top = sb.cli("--help");
        assertThat(top.code()).isZero();
        assertThat(top.out()).contains("Usage:", "Example", "create", "run", "exec");
    }

    @Test
    void logJsonGetsTheErrorOfAFailingCommand() throws IOException {
        Path log = sb.dir.resolve("runtime.log");
        String id = sb.tag + "-ghost";
        Cli.Result r = sb.cli("--log", log.toString(), "--log-format", "json", "kill", id, "KILL");
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("does not exist");
        List<String> lines = Files.readAllLines(log);
        assertThat(lines).as("log lines").isNotEmpty();
        JsonNode last = null;
        for (String l : lines) {
            last = Sandbox.JSON.readTree(l); // every line is one JSON object
            assertThat(last.isObject()).as(l).isTrue();
        }
        assertThat(last.get("level").asText()).isEqualTo("error");
        assertThat(last.get("msg").asText()).contains(id).contains("does not exist");
        assertThat(Instant.parse(last.get("time").asText())).isBefore(Instant.now().plusSeconds(1));

        Path text = sb.dir.resolve("runtime.txt");
        Cli.Result t = sb.cli("--log", text.toString(), "--log-format", "text", "state", id);
        assertThat(t.code()).isNotZero();
        assertThat(Files.readString(text)).containsPattern("level=error msg=\"container \\\\\"" + id
                + "\\\\\" does not exist\"");
    }

    @Test
    void stateHasExactlyTheRuntimeSpecFields() throws IOException {
        String id = sb.tag + "-state";
        sb.args("/bin/sleep", "1000").write(id);
        Path pidFile = sb.dir.resolve("pid");
        assertThat(sb.cli("create", "--bundle", sb.bundle.toString(), "--pid-file", pidFile.toString(), id).code())
                .isZero();
        int pid = Integer.parseInt(Files.readString(pidFile).strip());
        Cli.Result s = sb.cli("state", id);
        assertThat(s.code()).as(s.toString()).isZero();
        JsonNode st = Sandbox.JSON.readTree(s.out());
        assertThat(names(st)).containsExactly("ociVersion", "id", "pid", "status", "bundle", "rootfs", "created",
                "owner");
        assertThat(st.get("pid").isInt()).isTrue();
        assertThat(st.get("status").asText()).isEqualTo("created");
        assertThat(st.get("rootfs").asText()).isEqualTo(Sandbox.rootfs().toString());
        assertThat(Instant.parse(st.get("created").asText())).isBetween(Instant.now().minusSeconds(60), Instant.now());

        String id2 = sb.tag + "-annot";
        sb.config.putObject("annotations").put("org.example.key", "value");
        sb.write(id2);
        assertThat(sb.cli("create", "--bundle", sb.bundle.toString(), id2).code()).isZero();
        JsonNode st2 = Sandbox.JSON.readTree(sb.cli("state", id2).out());
        assertThat(names(st2)).containsExactly("ociVersion", "id", "pid", "status", "bundle", "rootfs", "created",
                "owner", "annotations");
        assertThat(st2.at("/annotations/org.example.key").asText()).isEqualTo("value");

        assertThat(sb.cli("kill", id, "KILL").code()).isZero();
        LifecycleIT.waitFor(() -> !LifecycleIT.alive(pid));
        JsonNode stopped = Sandbox.JSON.readTree(sb.cli("state", id).out());
        assertThat(stopped.get("status").asText()).isEqualTo("stopped");
        assertThat(names(stopped)).containsExactly("ociVersion", "id", "pid", "status", "bundle", "rootfs", "created",
                "owner");
        assertThat(stopped.get("pid").asInt()).isZero();
    }
}
