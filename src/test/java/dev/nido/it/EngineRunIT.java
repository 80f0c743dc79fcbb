package dev.nido.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code nido run} in the foreground, as the README's first commands use it: an empty store and
 * no network, the exit status passed through, flags reaching the container, a built image run,
 * names, and nothing left behind (mounts, cgroups, runtime state).
 */
class EngineRunIT {
    private EngineStore store;
    private Path dir;
    private Path root;

    @BeforeEach
    void setUp() throws IOException {
        store = new EngineStore("nido-engine-run-");
        dir = store.dir;
        root = store.root;
    }

    @AfterEach
    void tearDown() throws IOException {
        store.close();
    }

    private Cli.Result nido(String... args) {
        return store.nido(args);
    }

    private void assertNothingLeftOf(String name) throws IOException {
        assertThat(Sandbox.hostMountsUnder(root)).isEmpty();
        Path runtime = root.resolve("runtime");
        if (Files.isDirectory(runtime)) {
            try (Stream<Path> s = Files.list(runtime)) {
                assertThat(s.toList()).as("runtime state of " + name).isEmpty();
            }
        }
    }

    @Test
    void theReadmesFirstRunWorksOnAnEmptyStoreWithoutNetwork() throws IOException {
        Cli.Result r = nido("run", "--rm", "busybox", "echo", "hello");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo("hello\n");
        assertThat(r.err()).contains("busybox template");
        assertThat(nido("ps", "-a", "-q").out()).isEmpty(); // --rm kept nothing
        try (Stream<Path> s = Files.exists(root.resolve("containers")) ? Files.list(root.resolve("containers"))
                : Stream.empty()) {
            assertThat(s.toList()).isEmpty();
        }
        assertNothingLeftOf("the --rm container");
    }

    @Test
    void exitStatusEnvWorkdirVolumesAndLimitsReachTheContainer() throws IOException {
        Path vol = Files.createDirectories(dir.resolve("vol"));
        Files.writeString(vol.resolve("f"), "from the host\n");
        Cli.Result r = nido("run", "--name", "probe", "-e", "GREETING=hi", "-w", "/tmp", "-v", vol + ":/data:ro",
                "--memory", "64m", "--pids-limit", "20", "--hostname", "box1", "busybox", "sh", "-c",
                "echo $GREETING $(pwd) $(hostname); cat /data/f; touch /data/x 2>/dev/null || echo ro;"
                        + " cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max;"
                        + " exit 7");
        assertThat(r.code()).as(r.toString()).isEqualTo(7);
        assertThat(r.out()).contains("hi /tmp box1", "from the host", "ro", "67108864");
        assertThat(vol.resolve("x")).doesNotExist();
        Cli.Result ps = nido("ps", "-a");
        assertThat(ps.out()).contains("probe").contains("Exited (7)").contains("busybox:latest");
        assertThat(nido("ps").out()).doesNotContain("probe"); // not running
        assertNothingLeftOf("probe");
        Cli.Result same = nido("run", "--name", "probe", "busybox", "true");
        assertThat(same.code()).isEqualTo(125);
        assertThat(same.err()).contains("\"probe\" is already in use");
        assertThat(nido("rm", "probe").code()).isZero();
        assertThat(nido("ps", "-a").out()).doesNotContain("probe");
        assertThat(Files.list(root.resolve("containers")).toList()).isEmpty();
    }

    @Test
    void explainPrintsEveryStepAsAShellCommandThenDoesIt() {
        List<String> cmd = new ArrayList<>(List.of(Cli.HOME.resolve("bin/nido").toString(), "--root", root.toString(),
                "--explain", "run", "--rm", "--memory", "64m", "busybox", "echo", "done"));
        Cli.Result r = Cli.raw(null, cmd);
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo("done\n");
        String err = r.err();
        int overlay = err.indexOf("+ mount -t overlay");
        int limit = err.indexOf("67108864 >");
        int pivot = err.indexOf("pivot_root");
        assertThat(overlay).as(err).isNotNegative();
        assertThat(limit).as(err).isGreaterThan(overlay);
        assertThat(pivot).as(err).isGreaterThan(limit);
        assertThat(err).contains("+ exec ");
    }

    @Test
    void aCreatedContainerStartsAgainAndAgainWithItsEarlierChanges() throws IOException {
        Cli.Result c = nido("create", "--name", "box", "busybox", "sh", "-c", "date >> /log; wc -l < /log");
        assertThat(c.code()).as(c.toString()).isZero();
        assertThat(nido("ps", "-a").out()).contains("box").contains("Created");
        assertThat(Sandbox.hostMountsUnder(root)).as("a created container is not mounted").isEmpty();
        assertThat(nido("start", "-a", "box").out().strip()).isEqualTo("1");
        assertThat(nido("start", "-a", "box").out().strip()).isEqualTo("2");
        assertThat(Sandbox.hostMountsUnder(root)).isEmpty();
        assertThat(nido("inspect", "box").out()).contains("\"Name\": \"box\"").contains("\"Status\": \"exited\"")
                .contains("\"ociVersion\"");
        // clone (lxc-copy): the changes so far, a host name of its own, then each goes its own way
        Cli.Result clone = nido("clone", "box", "box2");
        assertThat(clone.code()).as(clone.toString()).isZero();
        assertThat(nido("start", "-a", "box2").out().strip()).isEqualTo("3");
        assertThat(nido("start", "-a", "box").out().strip()).isEqualTo("3");
        assertThat(nido("inspect", "box2").out()).contains("\"hostname\": \"" + clone.out().strip().substring(0, 12));
        assertThat(nido("clone", "box", "box2").err()).contains("already in use");
        assertThat(nido("rename", "box2", "box").err()).contains("already in use");
        assertThat(nido("rename", "box2", "box3").code()).isZero();
        assertThat(nido("ps", "-a").out()).contains("box3").doesNotContain("box2");
        assertThat(nido("container", "prune").out()).contains("box3").contains("Deleted containers: 2");
        assertThat(nido("ps", "-a", "-q").out()).isEmpty();
        assertThat(nido("create", "--name", "box", "busybox", "true").code()).isZero();
        Cli.Result detached = nido("start", "box"); // in the background, under its monitor
        assertThat(detached.code()).as(detached.toString()).isZero();
        assertThat(detached.out()).isEqualTo("box\n");
        assertThat(nido("wait", "box").out()).isEqualTo("0\n");
        assertThat(nido("rm", "box").code()).isZero();
        assertNothingLeftOf("box");
    }

    @Test
    void lxcKeysChangeACreatedContainerAtItsNextStart() throws IOException {
        Path home = Files.createDirectories(dir.resolve("home_so"));
        Files.writeString(home.resolve("f"), "shared\n");
        Cli.Result c = nido("create", "--name", "lxcbox", "busybox", "sh", "-c",
                "hostname; echo $GREETING; cat /mnt/home_so/f; echo inside > /mnt/home_so/g;"
                        + " cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max");
        assertThat(c.code()).as(c.toString()).isZero();
        Cli.Result set = nido("config", "lxcbox", "lxc.uts.name=web1", "lxc.environment=GREETING=hi",
                "lxc.mount.entry=" + home + " mnt/home_so none bind,create=dir 0 0",
                "lxc.cgroup.memory.limit_in_bytes=67108864");
        assertThat(set.code()).as(set.toString()).isZero();
        assertThat(nido("config", "lxcbox", "lxc.uts.name").out().strip()).isEqualTo("web1");
        assertThat(nido("config", "lxcbox").out()).contains("lxc.environment = GREETING=hi")
                .contains("lxc.mount.entry = " + home + " mnt/home_so none bind 0 0");
        Cli.Result r = nido("start", "-a", "lxcbox");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("web1", "hi", "shared", "67108864");
        // a directory made inside appears outside, and its removal outside disappears inside
        assertThat(home.resolve("g")).hasContent("inside");
        Files.delete(home.resolve("g"));
        assertThat(nido("config", "lxcbox", "lxc.init.cmd=ls /mnt/home_so").code()).isZero();
        assertThat(nido("start", "-a", "lxcbox").out().strip()).isEqualTo("f");
        for (String bad : new String[] {"lxc.net.0.type=veth", "lxc.foo=1", "lxc.cgroup2.memory.max=abc",
                "lxc.idmap=u 0 100000 65536", "lxc.mount.entry=" + dir.resolve("nope") + " mnt none bind 0 0"}) {
            Cli.Result b = nido("config", "lxcbox", bad);
            assertThat(b.code()).as(bad).isEqualTo(125);
            assertThat(b.err()).as(bad).doesNotContain("Exception");
        }
        assertThat(nido("config", "lxcbox", "lxc.uts.name").out().strip()).isEqualTo("web1"); // nothing changed
        assertThat(nido("rm", "lxcbox").code()).isZero();
    }

    @Test
    void cpCopiesBothWaysWithoutFollowingTheContainersSymlinksOut() throws IOException {
        Path victim = dir.resolve("victim");
        Files.writeString(victim, "host secret\n");
        Path site = Files.createDirectories(dir.resolve("site/sub"));
        Files.writeString(site.getParent().resolve("index.html"), "page\n");
        Files.writeString(site.resolve("x"), "deep\n");
        // the container plants links: an absolute one at a host path, one to its own root
        assertThat(nido("create", "--name", "cpbox", "busybox", "sh", "-c",
                "ln -sf " + victim + " /evil; ln -sfn / /rootlink; mkdir -p /srv; echo made > /srv/made").code()).isZero();
        assertThat(nido("start", "-a", "cpbox").code()).isZero();
        Cli.Result in = nido("cp", dir.resolve("site").toString(), "cpbox:/srv");
        assertThat(in.code()).as(in.toString()).isZero();
        assertThat(nido("config", "cpbox", "lxc.init.cmd=cat /srv/site/index.html /srv/site/sub/x").code()).isZero();
        assertThat(nido("start", "-a", "cpbox").out()).isEqualTo("page\ndeep\n");
        Path payload = Files.writeString(dir.resolve("payload"), "overwritten\n");
        nido("cp", payload.toString(), "cpbox:/evil"); // resolved inside the container: refused or kept in
        assertThat(victim).hasContent("host secret");
        Path out = Files.createDirectories(dir.resolve("out"));
        assertThat(nido("cp", "cpbox:/srv/made", out.toString()).code()).isZero();
        assertThat(out.resolve("made")).hasContent("made");
        assertThat(nido("cp", "cpbox:/evil", out.resolve("evil").toString()).code()).isZero();
        assertThat(Files.isSymbolicLink(out.resolve("evil"))).as("copied as a link, not followed").isTrue();
        assertThat(nido("cp", "cpbox:/rootlink/etc/passwd", out.resolve("pw").toString()).code()).isZero();
        assertThat(out.resolve("pw")).content().startsWith("root:x:0:0:root:/root:/bin/sh"); // the container's
        assertThat(nido("cp", "cpbox:/nope", out.toString()).err()).contains("no such file");
        assertThat(nido("cp", payload.toString(), out.toString()).err()).contains("CONTAINER:PATH");
        assertThat(Sandbox.hostMountsUnder(root)).isEmpty();
        assertThat(nido("rm", "cpbox").code()).isZero();
    }

    @Test
    void aBuiltImageRuns() throws IOException {
        Path ctx = Files.createDirectories(dir.resolve("ctx"));
        Files.writeString(ctx.resolve("Containerfile"), """
                FROM template:busybox
                RUN echo 'built and run' > /greeting
                CMD ["cat", "/greeting"]
                """);
        Cli.Result b = nido("build", "-t", "greeter:1", ctx.toString());
        assertThat(b.code()).as(b.toString()).isZero();
        Cli.Result r = nido("run", "--rm", "greeter:1");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo("built and run\n");
    }

    @Test
    void badInputGetsOneClearErrorAndLeavesNothingHalfMade() throws IOException {
        assertThat(nido("image", "create", "--template", "busybox").code()).isZero();
        Cli.Result unknown = nido("run", "--rm", "nosuchimage", "true");
        assertThat(unknown.code()).isEqualTo(125);
        assertThat(unknown.err()).contains("nosuchimage").contains("nido pull").doesNotContain("Exception");
        Cli.Result unit = nido("run", "--rm", "--memory", "64x", "busybox", "true");
        assertThat(unit.code()).isEqualTo(125);
        assertThat(unit.err()).contains("--memory 64x").contains("64m");
        Cli.Result vol = nido("run", "--rm", "-v", dir.resolve("missing") + ":/m", "busybox", "true");
        assertThat(vol.code()).isEqualTo(125);
        assertThat(vol.err()).contains("does not exist");
        Cli.Result net = nido("run", "--rm", "--network", "bridge", "busybox", "true");
        assertThat(net.err()).contains("none or host");
        Cli.Result cap = nido("run", "--rm", "--cap-add", "FLY", "busybox", "true");
        assertThat(cap.err()).contains("unknown capability");
        assertThat(nido("rm", "nothere").err()).contains("no such container");
        Cli.Result missing = nido("run", "--rm", "busybox", "nosuchcmd");
        assertThat(missing.code()).as(missing.toString()).isEqualTo(127);
        assertThat(missing.err()).contains("nosuchcmd");
        Cli.Result notExec = nido("run", "--rm", "busybox", "/etc/passwd");
        assertThat(notExec.code()).as(notExec.toString()).isEqualTo(126);
        assertThat(nido("ps", "-a", "-q").out()).isEmpty();
        assertNothingLeftOf("the refused runs");
    }
}
