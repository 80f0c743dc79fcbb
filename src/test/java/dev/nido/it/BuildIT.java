package dev.nido.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code nido build} as a user runs it, in a private store: RUN steps through nido-runtime, the
 * layers and config of the result, the step cache, failures, whiteouts, and that nothing (mounts,
 * sandboxes, runtime state) is left behind.
 */
class BuildIT {
    private static final String CONTAINERFILE = """
            FROM template:busybox
            RUN echo hello > /greeting && mkdir /d
            COPY file.txt /d/
            ENV X=1
            WORKDIR /work
            CMD ["cat","/greeting"]
            """;
    private EngineStore store;
    private Path dir;
    private Path root;
    private Path ctx;

    @BeforeEach
    void setUp() throws IOException {
        store = new EngineStore("nido-build-it-");
        dir = store.dir;
        root = store.root;
        ctx = Files.createDirectories(dir.resolve("ctx"));
    }

    @AfterEach
    void tearDown() throws IOException {
        store.close();
    }

    private Cli.Result nido(String... args) {
        return store.nido(args);
    }

    private Cli.Result ok(String... args) {
        return store.ok(args);
    }

    private Cli.Result build(String... extra) {
        List<String> args = new ArrayList<>(List.of("build"));
        args.addAll(List.of(extra));
        args.add(ctx.toString());
        return nido(args.toArray(String[]::new));
    }

    private static String builtId(Cli.Result r) {
        return r.out().lines().filter(l -> l.startsWith("Successfully built ")).findFirst()
                .orElseThrow(() -> new AssertionError("no result in\n" + r)).substring("Successfully built ".length());
    }

    private static long count(String text, String line) {
        return text.lines().filter(l -> l.equals(line)).count();
    }

    /** Nothing of the build is left: no mount under the store, no sandbox, no runtime state. */
    private void assertNothingLeft() throws IOException {
        assertThat(Sandbox.hostMountsUnder(root)).as("mounts under the store").isEmpty();
        Path build = root.resolve("build");
        if (Files.exists(build)) {
            try (Stream<Path> s = Files.list(build)) {
                assertThat(s.toList()).as("sandboxes (and their runtime state) under " + build).isEmpty();
            }
        }
    }

    private JsonNode inspect(String image) throws IOException {
        return Sandbox.JSON.readTree(ok("image", "inspect", image).out()).get(0);
    }

    @Test
    void buildsAnImageThenReusesEveryStepThenRebuildsFromTheChangedCopy() throws IOException {
        Files.writeString(ctx.resolve("file.txt"), "first\n");
        Files.writeString(ctx.resolve("Containerfile"), CONTAINERFILE);
        ok("image", "create", "--template", "busybox", "localhost/nido-template/busybox:latest"); // not timed

        long t0 = System.nanoTime();
        Cli.Result first = build("-t", "hello:1", "-t", "hello:latest");
        long firstMs = (System.nanoTime() - t0) / 1_000_000;
        assertThat(first.code()).as(first.toString()).isZero();
        assertThat(first.out()).contains("Step 1/6 : FROM template:busybox", "Step 2/6 : RUN echo hello > /greeting",
                " ---> Running in build-", "Step 6/6 : CMD [\"cat\",\"/greeting\"]", "Successfully tagged hello:1",
                "Successfully tagged hello:latest");
        assertThat(count(first.out(), " ---> Using cache")).isZero();
        String id = builtId(first);
        assertNothingLeft();

        assertThat(ok("images").out()).containsPattern("hello\\s+1\\s+" + id);
        JsonNode img = inspect("hello:1");
        assertThat(img.get("Id").asText()).startsWith("sha256:" + id);
        JsonNode config = img.get("Config");
        assertThat(config.get("Cmd").toString()).isEqualTo("[\"cat\",\"/greeting\"]");
        assertThat(config.get("Env").toString()).contains("\"X=1\"");
        assertThat(config.get("WorkingDir").asText()).isEqualTo("/work");
        assertThat(img.get("RootFS").get("Layers")).as("template, RUN, COPY, WORKDIR").hasSize(4);
        List<String> history = new ArrayList<>();
        img.get("History").forEach(h -> history.add(h.get("created_by").asText()
                + (h.path("empty_layer").asBoolean() ? " (empty)" : "")));
        assertThat(history).containsSubsequence("RUN echo hello > /greeting && mkdir /d", "COPY file.txt /d/",
                "ENV X=1 (empty)", "WORKDIR /work", "CMD [\"cat\",\"/greeting\"] (empty)");

        Path rootfs = Path.of(ok("image", "mount", "hello:1").out().strip());
        try {
            assertThat(rootfs.resolve("greeting")).hasContent("hello");
            assertThat(rootfs.resolve("d/file.txt")).hasContent("first");
            assertThat(rootfs.resolve("work")).isDirectory();
            assertThat(rootfs.resolve("etc/resolv.conf")).as("the RUN's resolv.conf mount point is not in the layer")
                    .doesNotExist();
        } finally {
            ok("image", "unmount", rootfs.toString());
        }

        t0 = System.nanoTime();
        Cli.Result again = build("-t", "hello:1");
        long cachedMs = (System.nanoTime() - t0) / 1_000_000;
        assertThat(again.code()).as(again.toString()).isZero();
        assertThat(count(again.out(), " ---> Using cache")).as(again.out()).isEqualTo(5);
        assertThat(again.out()).doesNotContain("Running in");
        assertThat(builtId(again)).isEqualTo(id);

        Files.writeString(ctx.resolve("file.txt"), "second\n");
        Cli.Result changed = build("-t", "hello:2");
        assertThat(changed.code()).as(changed.toString()).isZero();
        String out = changed.out();
        assertThat(out.substring(out.indexOf("Step 2/6"), out.indexOf("Step 3/6"))).contains(" ---> Using cache");
        assertThat(out.substring(out.indexOf("Step 3/6"))).doesNotContain("Using cache");
        assertThat(builtId(changed)).isNotEqualTo(id);
        rootfs = Path.of(ok("image", "mount", "hello:2").out().strip());
        try {
            assertThat(rootfs.resolve("d/file.txt")).hasContent("second");
        } finally {
            ok("image", "unmount", rootfs.toString());
        }
        // an mtime-only change is no change
        assertThat(ctx.resolve("file.txt").toFile().setLastModified(86_400_000L)).isTrue();
        Cli.Result touched = build();
        assertThat(count(touched.out(), " ---> Using cache")).as(touched.out()).isEqualTo(5);
        assertThat(builtId(touched)).isEqualTo(builtId(changed));
        assertThat(count(build("--no-cache").out(), " ---> Using cache")).isZero();
        assertNothingLeft();
        System.out.printf("BuildIT timings: first build %d ms, cached build %d ms%n", firstMs, cachedMs);
    }

    @Test
    void aFailingRunFailsTheBuildWithStatus1AndLeavesNothing() throws IOException {
        Files.writeString(ctx.resolve("Containerfile"), "FROM template:busybox\nRUN echo before\nRUN echo out; false\n"
                + "CMD [\"true\"]\n");
        Cli.Result r = build("-t", "broken:1");
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).contains("before").contains("out");
        assertThat(r.err().strip()).isEqualTo("nido: Step 3/4 RUN echo out; false: exit status 1");
        assertThat(ok("images").out()).doesNotContain("broken");
        assertNothingLeft();

        Files.writeString(ctx.resolve("Containerfile"), "FROM template:busybox\nRUN exit 7\n");
        Cli.Result seven = build();
        assertThat(seven.code()).isEqualTo(1);
        assertThat(seven.err()).contains("Step 2/2 RUN exit 7: exit status 7");
        assertNothingLeft();
    }

    @Test
    void aRunThatDeletesABaseFileMakesAWhiteout() throws IOException {
        Files.writeString(ctx.resolve("Containerfile"), "FROM template:busybox\nRUN rm /etc/inittab\n");
        ok("build", "-t", "nofile", ctx.toString());
        JsonNode img = inspect("nofile");
        String top = img.get("Layers").get(img.get("Layers").size() - 1).get("digest").asText().substring(7);
        Cli.Result tar = Cli.raw(null, List.of("tar", "-tf", root.resolve("blobs/sha256/" + top).toString()));
        assertThat(tar.out().lines().toList()).contains("etc/.wh.inittab");
        Path rootfs = Path.of(ok("image", "mount", "nofile").out().strip());
        try {
            assertThat(rootfs.resolve("etc/inittab")).doesNotExist();
            assertThat(rootfs.resolve("etc/passwd")).exists();
        } finally {
            ok("image", "unmount", rootfs.toString());
        }
    }

    @Test
    void aMalformedContainerfileGivesOneErrorWithFileAndLine() throws IOException {
        Files.writeString(ctx.resolve("Dockerfile"), "FROM template:busybox\n# fine\nRUNN echo x\nCMD [\"x\"]\n");
        Cli.Result r = build();
        assertThat(r.code()).isEqualTo(125);
        assertThat(r.err().lines().toList()).containsExactly("nido: Dockerfile:3: unknown instruction \"RUNN\" (expected"
                + " one of FROM, RUN, COPY, ADD, ENV, ARG, WORKDIR, USER, LABEL, EXPOSE, VOLUME, CMD, ENTRYPOINT, SHELL,"
                + " STOPSIGNAL)");
        assertThat(r.out()).isEmpty();
        Files.writeString(ctx.resolve("Dockerfile"), "FROM nosuchimage:1\n");
        Cli.Result missing = build();
        assertThat(missing.code()).isEqualTo(125);
        assertThat(missing.err()).contains("Dockerfile:1: FROM nosuchimage:1").contains("does not pull");
        assertNothingLeft();
    }

    @Test
    void copyAndAddFollowDockerignoreOwnersArgsAndUsers() throws IOException {
        Files.createDirectories(ctx.resolve("app/sub"));
        Files.writeString(ctx.resolve("app/sub/a.txt"), "a\n");
        Files.writeString(ctx.resolve("app/secret.key"), "no\n");
        Files.writeString(ctx.resolve(".dockerignore"), "**/*.key\n");
        Path payload = Files.createDirectories(dir.resolve("payload/inner"));
        Files.writeString(payload.resolve("x"), "from the tar\n");
        Cli.Result tar = Cli.raw(null, List.of("tar", "-C", dir.resolve("payload").toString(), "-czf",
                ctx.resolve("payload.tar.gz").toString(), "inner"));
        assertThat(tar.code()).as(tar.toString()).isZero();
        Files.writeString(ctx.resolve("Containerfile"), """
                FROM template:busybox
                ARG OWNER=1234:5678
                ARG DEST
                COPY --chown=${OWNER} app /srv/${DEST:-app}/
                ADD payload.tar.gz /opt/
                RUN echo 'app:x:1000:1000::/home/app:/bin/sh' >> /etc/passwd
                USER app
                RUN id -u > /tmp/uid && echo "dest=$DEST" > /tmp/dest
                """);
        Cli.Result r = build("-t", "copies", "--build-arg", "DEST=copied");
        assertThat(r.code()).as(r.toString()).isZero();
        Path rootfs = Path.of(ok("image", "mount", "copies").out().strip());
        try {
            Path a = rootfs.resolve("srv/copied/sub/a.txt");
            assertThat(a).hasContent("a");
            assertThat(Files.getAttribute(a, "unix:uid")).isEqualTo(1234);
            assertThat(Files.getAttribute(a, "unix:gid")).isEqualTo(5678);
            assertThat(rootfs.resolve("srv/copied/secret.key")).as(".dockerignore").doesNotExist();
            assertThat(rootfs.resolve("opt/inner/x")).hasContent("from the tar");
            assertThat(rootfs.resolve("tmp/uid")).hasContent("1000");
            assertThat(rootfs.resolve("tmp/dest")).hasContent("dest=copied");
        } finally {
            ok("image", "unmount", rootfs.toString());
        }
        assertThat(inspect("copies").get("Config").get("User").asText()).isEqualTo("app");
    }

    @Test
    void anInterruptedBuildCleansUp() throws Exception {
        Files.writeString(ctx.resolve("Containerfile"), "FROM template:busybox\nRUN echo started && sleep 60\n");
        Process p = new ProcessBuilder(Cli.HOME.resolve("bin/nido").toString(), "--root", root.toString(), "build",
                ctx.toString()).redirectErrorStream(true).start();
        try {
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()));
            for (String line; (line = in.readLine()) != null; ) {
                if (line.equals("started")) {
                    break;
                }
            }
            assertThat(Sandbox.hostMountsUnder(root)).as("the step's overlay while it runs").isNotEmpty();
            List<ProcessHandle> tree = p.toHandle().descendants().toList(); // runtime, monitor, the step's shell, sleep
            assertThat(tree).isNotEmpty();
            p.destroy(); // SIGTERM
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            for (ProcessHandle h : tree) {
                h.onExit().get(10, TimeUnit.SECONDS);
                assertThat(h.isAlive()).as("process " + h.pid() + " of the build").isFalse();
            }
        } finally {
            p.destroyForcibly();
        }
        assertNothingLeft();
    }
}
