package dev.nido.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runtime-spec hooks: prestart, createRuntime and poststart/poststop run by the runtime on the
 * host, createContainer in the container's mount namespace before pivot_root, startContainer
 * inside the container. Each hook appends "KIND STATE-JSON" to a log.
 */
class HooksIT {
    static final String HOST_PATH = "PATH=/usr/sbin:/usr/bin:/sbin:/bin";

    Sandbox sb;
    Path log;

    @BeforeEach
    void setUp() throws IOException {
        sb = new Sandbox();
        log = sb.dir.resolve("hooks.log");
    }

    @AfterEach
    void tearDown() throws IOException {
        try {
            killTagged();
        } finally {
            sb.close();
        }
    }

    ObjectNode hook(String kind, String path, String... args) {
        ObjectNode hooks = sb.config.has("hooks") ? (ObjectNode) sb.config.get("hooks") : sb.config.putObject("hooks");
        ArrayNode list = hooks.has(kind) ? (ArrayNode) hooks.get(kind) : hooks.putArray(kind);
        ObjectNode h = list.addObject().put("path", path);
        ArrayNode a = h.putArray("args");
        for (String s : args) {
            a.add(s);
        }
        // the tag lets the test find (and kill) a hook left running
        h.putArray("env").add(HOST_PATH).add("NIDO_IT_TAG=" + sb.tag);
        return h;
    }

    /** A hook that appends "KIND <state json>" to file. */
    ObjectNode logging(String kind, String file) {
        return hook(kind, "/bin/sh", "sh", "-c", "read -r s; echo \"" + kind + " $s\" >> " + file);
    }

    ObjectNode failing(String kind) {
        return hook(kind, "/bin/sh", "sh", "-c", "echo " + kind + "-says-no >&2; exit 7");
    }

    List<String> logLines(Path f) throws IOException {
        return Files.exists(f) ? Files.readAllLines(f) : List.of();
    }

    static List<String> kinds(List<String> lines) {
        return lines.stream().map(l -> l.split(" ", 2)[0]).toList();
    }

    static JsonNode stateOf(List<String> lines, String kind) throws IOException {
        for (String l : lines) {
            if (l.startsWith(kind + " ")) {
                return Sandbox.JSON.readTree(l.substring(kind.length() + 1));
            }
        }
        throw new AssertionError("no " + kind + " line in " + lines);
    }

    String status(String id) {
        Cli.Result r = sb.cli("state", id);
        try {
            return r.code() == 0 ? Sandbox.JSON.readTree(r.out()).get("status").asText() : "gone";
        } catch (IOException e) {
            return "bad json";
        }
    }

    @Test
    void everyHookRunsInOrderWithTheContainerState() throws Exception {
        String id = sb.tag + "-all";
        for (String k : new String[] {"prestart", "createRuntime", "createContainer", "poststart", "poststop"}) {
            logging(k, log.toString());
        }
        logging("startContainer", "/dev/shm/hooks.log");
        sb.args("/bin/sleep", "1000").write(id);
        Path pidFile = sb.dir.resolve("pid");

        Cli.Result c = sb.cli("create", "--bundle", sb.bundle.toString(), "--pid-file", pidFile.toString(), id);
        assertThat(c.code()).as(c.toString()).isZero();
        int pid = Integer.parseInt(Files.readString(pidFile).strip());
        assertThat(pid).isPositive();
        assertThat(kinds(logLines(log))).containsExactly("prestart", "createRuntime", "createContainer");

        Cli.Result s = sb.cli("start", id);
        assertThat(s.code()).as(s.toString()).isZero();
        assertThat(kinds(logLines(log))).containsExactly("prestart", "createRuntime", "createContainer", "poststart");
        LifecycleIT.waitFor(() -> LifecycleIT.readComm(pid).equals("sleep"));
        Cli.Result in = sb.cli("exec", id, "/bin/cat", "/dev/shm/hooks.log");
        assertThat(in.code()).as(in.toString()).isZero();
        List<String> inside = in.out().lines().toList();
        assertThat(kinds(inside)).containsExactly("startContainer");

        assertThat(sb.cli("kill", id, "KILL").code()).isZero();
        LifecycleIT.waitFor(() -> status(id).equals("stopped"));
        Cli.Result d = sb.cli("delete", id);
        assertThat(d.code()).as(d.toString()).isZero();
        List<String> lines = logLines(log);
        assertThat(kinds(lines)).containsExactly("prestart", "createRuntime", "createContainer", "poststart",
                "poststop");

        for (String k : new String[] {"prestart", "createRuntime", "createContainer", "poststart", "poststop"}) {
            JsonNode st = stateOf(lines, k);
            assertThat(st.path("id").asText()).as(k + ": " + st).isEqualTo(id);
            assertThat(st.path("bundle").asText()).as(k + ": " + st).isEqualTo(sb.bundle.toString());
            assertThat(st.path("ociVersion").asText()).as(k + ": " + st).startsWith("1.");
        }
        for (String k : new String[] {"prestart", "createRuntime", "createContainer", "poststart"}) {
            assertThat(stateOf(lines, k).path("pid").asInt()).as(k).isEqualTo(pid);
        }
        assertThat(stateOf(lines, "prestart").path("status").asText()).isEqualTo("creating");
        assertThat(stateOf(lines, "createRuntime").path("status").asText()).isEqualTo("creating");
        assertThat(stateOf(lines, "createContainer").path("status").asText()).isIn("creating", "created");
        assertThat(stateOf(lines, "poststart").path("status").asText()).isEqualTo("running");
        assertThat(stateOf(lines, "poststop").path("status").asText()).isEqualTo("stopped");
        JsonNode sc = stateOf(inside, "startContainer");
        assertThat(sc.path("id").asText()).isEqualTo(id);
        assertThat(sc.path("pid").asInt()).isNotZero();
        assertThat(sc.path("bundle").asText()).isEqualTo(sb.bundle.toString());
        assertThat(sb.leftoverCgroups()).isEmpty();
    }

    @Test
    void foregroundRunRunsTheHooksToo() throws Exception {
        String id = sb.tag + "-run";
        for (String k : new String[] {"prestart", "createRuntime", "createContainer", "poststart", "poststop"}) {
            logging(k, log.toString());
        }
        sb.args("/bin/nido-probe", "exit", "3").write(id);
        Cli.Result r = sb.cli("run", "--bundle", sb.bundle.toString(), id);
        assertThat(r.code()).as(r.toString()).isEqualTo(3);
        assertThat(kinds(logLines(log))).containsExactly("prestart", "createRuntime", "createContainer", "poststart",
                "poststop");
        assertThat(sb.root.resolve(id)).doesNotExist();
    }

    @Test
    void aFailingCreateHookFailsCreateAndLeavesNothing() throws Exception {
        for (String kind : new String[] {"prestart", "createRuntime", "createContainer"}) {
            String id = sb.tag + "-f" + kind.toLowerCase();
            sb.config.remove("hooks");
            failing(kind);
            sb.args("/bin/sleep", "1000").write(id);
            Cli.Result c = sb.cli("create", "--bundle", sb.bundle.toString(), id);
            assertThat(c.code()).as(kind + ": " + c).isNotZero();
            // the hook's own stderr may come first; the runtime's error is the last line
            assertThat(lastLine(c.err())).as(kind + ": " + c).contains(kind).contains("/bin/sh").contains("status 7");
            assertThat(c.err()).as(kind + ": " + c).doesNotContain("Exception").doesNotContain("\tat ");
            assertThat(sb.root.resolve(id)).as(kind).doesNotExist();
            assertThat(sb.leftoverCgroups()).as(kind).isEmpty();
            assertThat(sb.cli("state", id).err()).as(kind).contains("does not exist");
            LifecycleIT.waitFor(() -> shimsOf(id).isEmpty());
        }
    }

    @Test
    void anInContainerHookFailureIsNotReportedWithAMisleadingErrno() throws Exception {
        String id = sb.tag + "-errno";
        hook("createContainer", "/bin/sh", "sh", "-c", "exit 7");
        sb.args("/bin/sleep", "1000").write(id);
        Cli.Result c = sb.cli("create", "--bundle", sb.bundle.toString(), id);
        assertThat(c.code()).as(c.toString()).isNotZero();
        assertThat(c.err().strip()).as(c.toString()).hasLineCount(1).contains("createContainer hook /bin/sh")
                .contains("exited with status 7").doesNotContain("ECHILD").doesNotContain("no child processes");
    }

    static String lastLine(String s) {
        List<String> l = s.strip().lines().toList();
        return l.isEmpty() ? "" : l.get(l.size() - 1);
    }

    @Test
    void aFailingStartContainerHookStopsTheContainerBeforeItsProcessRuns() throws Exception {
        String id = sb.tag + "-fsc";
        hook("startContainer", "/bin/sh", "sh", "-c", "exit 9");
        sb.args("/bin/sh", "-c", "echo ran > /dev/shm/ran; sleep 1000").write(id);
        Path pidFile = sb.dir.resolve("pid");
        Cli.Result c = sb.cli("create", "--bundle", sb.bundle.toString(), "--pid-file", pidFile.toString(), id);
        assertThat(c.code()).as(c.toString()).isZero();
        int pid = Integer.parseInt(Files.readString(pidFile).strip());
        sb.cli("start", id); // runc's start does not wait for the init either: only the outcome counts
        LifecycleIT.waitFor(() -> status(id).equals("stopped"));
        assertThat(LifecycleIT.alive(pid)).isFalse();
        assertThat(sb.cli("delete", id).code()).isZero();
        assertThat(sb.leftoverCgroups()).isEmpty();
    }

    @Test
    void failingPoststartAndPoststopOnlyWarn() throws Exception {
        String id = sb.tag + "-warn";
        failing("poststart");
        failing("poststop");
        sb.args("/bin/sleep", "1000").write(id);
        Cli.Result c = sb.cli("create", "--bundle", sb.bundle.toString(), id);
        assertThat(c.code()).as(c.toString()).isZero();
        Cli.Result s = sb.cli("start", id);
        assertThat(s.code()).as(s.toString()).isZero();
        assertThat(s.err()).contains("poststart").contains("warning").doesNotContain("Exception");
        assertThat(status(id)).isEqualTo("running");
        Cli.Result d = sb.cli("delete", "--force", id);
        assertThat(d.code()).as(d.toString()).isZero();
        assertThat(d.err()).contains("poststop").contains("warning").doesNotContain("Exception");
        assertThat(sb.root.resolve(id)).doesNotExist();
        assertThat(sb.leftoverCgroups()).isEmpty();

        String id2 = sb.tag + "-warnrun";
        sb.args("/bin/nido-probe", "exit", "0").write(id2);
        Cli.Result r = sb.cli("run", "--bundle", sb.bundle.toString(), id2);
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.err()).contains("poststart").contains("poststop");
        assertThat(sb.root.resolve(id2)).doesNotExist();
    }

    @Test
    void aHookTimeoutKillsTheHookAndFailsCreate() throws Exception {
        for (String kind : new String[] {"prestart", "createContainer"}) {
            String id = sb.tag + "-t" + kind.toLowerCase();
            sb.config.remove("hooks");
            hook(kind, "/bin/sleep", "sleep", "30").put("timeout", 1);
            sb.args("/bin/sleep", "1000").write(id);
            long t0 = System.nanoTime();
            Cli.Result c = sb.cli("create", "--bundle", sb.bundle.toString(), id);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(c.code()).as(kind + ": " + c).isNotZero();
            assertThat(ms).as(kind + ": create should give up after the 1 s timeout").isLessThan(8000);
            assertThat(lastLine(c.err())).as(kind + ": " + c).contains(kind).contains("timed out");
            assertThat(c.err()).as(kind + ": " + c).doesNotContain("Exception");
            LifecycleIT.waitFor(() -> taggedProcesses().isEmpty());
            assertThat(sb.root.resolve(id)).as(kind).doesNotExist();
            assertThat(sb.leftoverCgroups()).as(kind).isEmpty();
        }
    }

    /** Live processes whose environment holds this sandbox's tag (the hooks). */
    List<Integer> taggedProcesses() {
        byte[] needle = ("NIDO_IT_TAG=" + sb.tag).getBytes(StandardCharsets.UTF_8);
        List<Integer> out = new ArrayList<>();
        for (int pid : pids()) {
            try {
                byte[] env = Files.readAllBytes(Path.of("/proc/" + pid + "/environ"));
                if (indexOf(env, needle) >= 0 && LifecycleIT.alive(pid)) {
                    out.add(pid);
                }
            } catch (IOException e) {
                // gone
            }
        }
        return out;
    }

    /** Live nido-shim helpers labelled with this id. */
    static List<Integer> shimsOf(String id) {
        List<Integer> out = new ArrayList<>();
        for (int pid : pids()) {
            try {
                String cmd = Files.readString(Path.of("/proc/" + pid + "/cmdline"));
                if (cmd.startsWith("nido-shim\0" + id) && LifecycleIT.alive(pid)) {
                    out.add(pid);
                }
            } catch (IOException e) {
                // gone
            }
        }
        return out;
    }

    static List<Integer> pids() {
        try (Stream<Path> s = Files.list(Path.of("/proc"))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit))
                    .map(Integer::parseInt).toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    void killTagged() {
        for (int pid : taggedProcesses()) {
            Cli.raw(null, List.of("kill", "-9", Integer.toString(pid)));
        }
    }
}
