package dev.nido.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** create / start / state / kill / delete / list / ps / exec as podman and containerd drive them. */
class LifecycleIT {
    Sandbox sb;

    @BeforeEach
    void setUp() throws IOException {
        sb = new Sandbox();
    }

    @AfterEach
    void tearDown() throws IOException {
        sb.close();
    }

    JsonNode state(String id) throws IOException {
        Cli.Result r = sb.cli("state", id);
        assertThat(r.code()).as(r.toString()).isZero();
        return Sandbox.JSON.readTree(r.out());
    }

    static boolean alive(int pid) {
        return Files.exists(Path.of("/proc/" + pid)) && !procState(pid).equals("Z");
    }

    static String procState(int pid) {
        try {
            String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return s.substring(s.lastIndexOf(')') + 2, s.lastIndexOf(')') + 3);
        } catch (IOException e) {
            return "gone";
        }
    }

    @Test
    void createStartStateKillDelete() throws Exception {
        sb.args("/bin/sleep", "1000").write("c1");
        Path pidFile = sb.dir.resolve("c1.pid");
        Cli.Result c = sb.cli("create", "--bundle", sb.bundle.toString(), "--pid-file", pidFile.toString(), "c1");
        assertThat(c.code()).as(c.toString()).isZero();
        int pid = Integer.parseInt(Files.readString(pidFile).strip());
        JsonNode st = state("c1");
        assertThat(st.get("status").asText()).isEqualTo("created");
        assertThat(st.get("pid").asInt()).isEqualTo(pid);
        assertThat(st.get("id").asText()).isEqualTo("c1");
        assertThat(st.get("bundle").asText()).isEqualTo(sb.bundle.toString());
        assertThat(st.get("ociVersion").asText()).startsWith("1.");
        assertThat(Files.readString(Path.of("/proc/" + pid + "/comm"))).doesNotContain("sleep");
        assertThat(sb.cli("ps", "--format", "json", "c1").out().strip()).isEqualTo("[" + pid + "]");

        Cli.Result s = sb.cli("start", "c1");
        assertThat(s.code()).as(s.toString()).isZero();
        assertThat(state("c1").get("status").asText()).isEqualTo("running");
        waitFor(() -> readComm(pid).equals("sleep"));
        Cli.Result again = sb.cli("start", "c1");
        assertThat(again.code()).isNotZero();
        assertThat(again.err()).contains("running");

        Cli.Result del = sb.cli("delete", "c1");
        assertThat(del.code()).isNotZero();
        assertThat(del.err().strip()).contains("not stopped").doesNotContain("Exception").hasLineCount(1);

        assertThat(sb.cli("kill", "c1", "SIGKILL").code()).isZero();
        waitFor(() -> !alive(pid));
        assertThat(state("c1").get("status").asText()).isEqualTo("stopped");
        Cli.Result k = sb.cli("kill", "c1", "TERM");
        assertThat(k.code()).isNotZero();
        assertThat(k.err()).contains("container not running");
        assertThat(sb.cli("delete", "c1").code()).isZero();
        assertThat(sb.cli("state", "c1").err()).contains("does not exist");
        assertThat(sb.leftoverCgroups()).isEmpty();
    }

    @Test
    void listShowsContainersInTableAndJson() throws IOException {
        sb.args("/bin/sleep", "1000").write("l1");
        assertThat(sb.cli("create", "--bundle", sb.bundle.toString(), "l1").code()).isZero();
        JsonNode list = Sandbox.JSON.readTree(sb.cli("list", "--format", "json").out());
        assertThat(list).hasSize(1);
        assertThat(list.get(0).get("id").asText()).isEqualTo("l1");
        assertThat(list.get(0).get("status").asText()).isEqualTo("created");
        assertThat(sb.cli("list").out()).contains("ID", "l1", "created");
        assertThat(sb.cli("list", "-q").out().strip()).isEqualTo("l1");
    }

    @Test
    void deleteForceRemovesARunningContainerAndItsCgroup() throws IOException {
        sb.args("/bin/sleep", "1000").write("f1");
        Path pidFile = sb.dir.resolve("f1.pid");
        assertThat(sb.cli("run", "-d", "--pid-file", pidFile.toString(), "--bundle", sb.bundle.toString(), "f1").code())
                .isZero();
        int pid = Integer.parseInt(Files.readString(pidFile).strip());
        assertThat(state("f1").get("status").asText()).isEqualTo("running");
        assertThat(sb.leftoverCgroups()).isNotEmpty();
        Cli.Result d = sb.cli("delete", "--force", "f1");
        assertThat(d.code()).as(d.toString()).isZero();
        waitFor(() -> !alive(pid));
        assertThat(sb.leftoverCgroups()).isEmpty();
        assertThat(sb.root.resolve("f1")).doesNotExist();
    }

    @Test
    void killAllSignalsEveryProcessInTheCgroup() throws Exception {
        sb.args("/bin/sh", "-c", "sleep 1000 & sleep 1000 & wait").write("k1");
        assertThat(sb.cli("run", "-d", "--bundle", sb.bundle.toString(), "k1").code()).isZero();
        waitFor(() -> pids("k1").size() == 3);
        List<Integer> pids = pids("k1");
        assertThat(sb.cli("kill", "--all", "k1", "KILL").code()).isZero();
        waitFor(() -> pids.stream().noneMatch(LifecycleIT::alive));
        assertThat(state("k1").get("status").asText()).isEqualTo("stopped");
    }

    List<Integer> pids(String id) {
        try {
            JsonNode a = Sandbox.JSON.readTree(sb.cli("ps", "--format", "json", id).out());
            return java.util.stream.StreamSupport.stream(a.spliterator(), false).map(JsonNode::asInt).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    @Test
    void execJoinsEveryNamespaceOfTheContainer() throws IOException {
        sb.config.put("hostname", "exec-host");
        sb.args("/bin/nido-probe", "sleep", "1000").write("e1");
        assertThat(sb.cli("run", "-d", "--bundle", sb.bundle.toString(), "e1").code()).isZero();
        int pid = state("e1").get("pid").asInt();
        Cli.Result r = sb.cli("exec", "e1", "/bin/nido-probe", "ns", "hostname", "cgroup");
        assertThat(r.code()).as(r.toString()).isZero();
        for (String t : new String[] {"mnt", "uts", "ipc", "pid", "net", "cgroup"}) {
            String init = Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/" + t)).toString();
            assertThat(r.line("ns." + t)).as(t).isEqualTo(init.substring(init.indexOf('[') + 1, init.indexOf(']')));
        }
        assertThat(r.line("hostname")).isEqualTo("exec-host");
        Cli.Result x = sb.cli("exec", "e1", "/bin/nido-probe", "exit", "9");
        assertThat(x.code()).isEqualTo(9);
        Cli.Result u = sb.cli("exec", "--user", "1234:99", "--cwd", "/tmp", "-e", "X=1", "e1", "/bin/nido-probe", "uid",
                "gid", "cwd", "env");
        assertThat(u.line("uid")).isEqualTo("1234");
        assertThat(u.line("gid")).isEqualTo("99");
        assertThat(u.line("cwd")).isEqualTo("/tmp");
        assertThat(u.line("env.X")).isEqualTo("1");
        Cli.Result missing = sb.cli("exec", "e1", "/no/such/binary");
        assertThat(missing.code()).isNotZero();
        assertThat(missing.err()).contains("/no/such/binary").contains("no such file");
    }

    @Test
    void execWithProcessFileAndDetach() throws IOException {
        sb.args("/bin/sleep", "1000").write("e2");
        assertThat(sb.cli("run", "-d", "--bundle", sb.bundle.toString(), "e2").code()).isZero();
        Path proc = sb.dir.resolve("proc.json");
        Files.writeString(proc, "{\"args\":[\"/bin/sh\",\"-c\",\"echo $A > /dev/shm/out\"],\"env\":[\"A=from-file\"],"
                + "\"cwd\":\"/\",\"user\":{\"uid\":0,\"gid\":0}}");
        assertThat(sb.cli("exec", "--process", proc.toString(), "e2").code()).isZero();
        Cli.Result r = sb.cli("exec", "e2", "/bin/cat", "/dev/shm/out");
        assertThat(r.out().strip()).isEqualTo("from-file");
        Path pidFile = sb.dir.resolve("exec.pid");
        assertThat(sb.cli("exec", "-d", "--pid-file", pidFile.toString(), "e2", "/bin/sleep", "1000").code()).isZero();
        int pid = Integer.parseInt(Files.readString(pidFile).strip());
        assertThat(pids("e2")).contains(pid);
    }

    static void waitFor(java.util.function.BooleanSupplier cond) {
        long end = System.nanoTime() + 5_000_000_000L;
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met within 5 s");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    static String readComm(int pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/comm")).strip();
        } catch (IOException e) {
            return "";
        }
    }
}
