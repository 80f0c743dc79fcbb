package dev.nido.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Restart policies, attach frames, log reading, update merging: the engine's pure parts of detached containers. */
class LifecycleLogicTest {
    @Test
    void restartPolicies() {
        assertThat(RestartPolicy.parse(null)).isEqualTo(RestartPolicy.NO);
        assertThat(RestartPolicy.parse("on-failure:3")).isEqualTo(new RestartPolicy("on-failure", 3));
        RestartPolicy of = RestartPolicy.parse("on-failure:2");
        assertThat(of.restarts(1, 0, false)).isTrue();
        assertThat(of.restarts(1, 1, false)).isTrue();
        assertThat(of.restarts(1, 2, false)).isFalse();
        assertThat(of.restarts(0, 0, false)).isFalse();
        assertThat(RestartPolicy.parse("on-failure").restarts(3, 100, false)).isTrue();
        assertThat(RestartPolicy.parse("always").restarts(0, 50, false)).isTrue();
        assertThat(RestartPolicy.parse("unless-stopped").restarts(0, 0, true)).isFalse();
        assertThat(RestartPolicy.NO.restarts(1, 0, false)).isFalse();
        assertThat(RestartPolicy.delayMillis(0)).isEqualTo(100);
        assertThat(RestartPolicy.delayMillis(3)).isEqualTo(800);
        assertThat(RestartPolicy.delayMillis(30)).isEqualTo(10_000);
        for (String bad : List.of("sometimes", "on-failure:x", "on-failure:-1", "always:3")) {
            assertThatThrownBy(() -> RestartPolicy.parse(bad)).isInstanceOf(EngineException.class)
                    .hasMessageContaining("--restart " + bad);
        }
    }

    @Test
    void attachFramesRoundTripAcrossArbitrarySplits() {
        byte[] a = AttachProtocol.frame(AttachProtocol.STDOUT, "hello".getBytes(StandardCharsets.UTF_8), 0, 5);
        byte[] b = AttachProtocol.frame(AttachProtocol.EXIT, new byte[] {7, 0, 0, 0}, 0, 4);
        byte[] all = new byte[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        for (int split = 0; split <= all.length; split++) {
            AttachProtocol.Decoder d = new AttachProtocol.Decoder();
            d.feed(all, 0, split);
            List<AttachProtocol.Frame> got = new java.util.ArrayList<>();
            for (var f = d.next(); f != null; f = d.next()) {
                got.add(f);
            }
            d.feed(all, split, all.length - split);
            for (var f = d.next(); f != null; f = d.next()) {
                got.add(f);
            }
            assertThat(got).hasSize(2);
            assertThat(new String(got.get(0).payload(), StandardCharsets.UTF_8)).isEqualTo("hello");
            assertThat(got.get(1).status()).isEqualTo(7);
        }
        assertThat(AttachProtocol.resize(40, 100)).containsExactly(5, 4, 0, 0, 0, 40, 0, 100, 0);
        assertThat(AttachProtocol.signal(15)).containsExactly(6, 4, 0, 0, 0, 15, 0, 0, 0);
        AttachProtocol.Decoder bad = new AttachProtocol.Decoder();
        bad.feed(new byte[] {9, 0, 0, 0, 0}, 0, 5);
        assertThatThrownBy(bad::next).isInstanceOf(EngineException.class).hasMessageContaining("malformed");
    }

    @Test
    void logsShowRotatedFilesFirstAndHonourTailSinceAndTimestamps(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("ctr.log.1"), line("one\n", "stdout", "2026-11-22T10:00:00.000000001Z")
                + line("two\n", "stderr", "2026-11-22T10:00:01Z"));
        Files.writeString(dir.resolve("ctr.log"), line("three\n", "stdout", "2026-11-22T10:00:02Z")
                + line("quote \" and \\ back\n", "stdout", "2026-11-22T10:00:03Z") + "{\"log\":\"torn");
        assertThat(show(dir, null, -1, false)).isEqualTo("one\nthree\nquote \" and \\ back\n|two\n");
        assertThat(show(dir, null, 2, false)).isEqualTo("three\nquote \" and \\ back\n|");
        assertThat(show(dir, Instant.parse("2026-11-22T10:00:01Z"), -1, false))
                .isEqualTo("three\nquote \" and \\ back\n|two\n");
        assertThat(show(dir, null, 1, true)).isEqualTo("2026-11-22T10:00:03Z quote \" and \\ back\n|");
        assertThat(Logs.since("10m", Instant.parse("2026-11-22T10:30:00Z")))
                .isEqualTo(Instant.parse("2026-11-22T10:20:00Z"));
        assertThatThrownBy(() -> Logs.since("yesterday", Instant.now())).isInstanceOf(EngineException.class)
                .hasMessageContaining("--since yesterday");
    }

    private static String line(String log, String stream, String time) {
        return "{\"log\":\"" + log.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")
                + "\",\"stream\":\"" + stream + "\",\"time\":\"" + time + "\"}\n";
    }

    private static String show(Path dir, Instant since, int tail, boolean ts) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        new Logs(dir, out, err).show(new Logs.Query(since, tail, ts, false), () -> false);
        return out.toString(StandardCharsets.UTF_8) + "|" + err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void containerRecordsRoundTripThroughMapsAndOldRecordsGetDefaults() {
        HostConfig h = new HostConfig(true, new RestartPolicy("on-failure", 3), "PWR", 5, true, true, true, 1024, 2);
        ContainerInfo c = new ContainerInfo("a".repeat(64), "web", "busybox:latest", "sha256:x", List.of("sh", "-c", "x"),
                "2026-11-22T10:00:00Z", "exited", 7, "2026-11-22T10:01:00Z", h, "2026-11-22T10:00:01Z", 2, true);
        byte[] json = dev.nido.oci.Json.writePretty(c.toJson());
        assertThat(ContainerInfo.fromJson(json, "container.json")).isEqualTo(c);
        ContainerInfo old = ContainerInfo.fromJson(("{\"id\":\"" + "b".repeat(64) + "\",\"name\":\"x\",\"status\":"
                + "\"created\"}").getBytes(StandardCharsets.UTF_8), "container.json");
        assertThat(old.host()).isEqualTo(HostConfig.defaults());
        assertThat(old.exitCode()).isNull();
        assertThatThrownBy(() -> ContainerInfo.fromJson("{\"restartCount\":\"x\"}".getBytes(StandardCharsets.UTF_8),
                "c.json")).hasMessageContaining("c.json: restartCount: expected a number");
    }

    @Test
    void updateMergesIntoTheSpecAndSpeaksRuncFlags() {
        var l = new UpdateCommand.Limits(64L << 20, null, 0.5, null, "0", 20L, null);
        assertThat(UpdateCommand.runtimeArgs("c1", l)).containsExactly("update", "--memory", "67108864",
                "--cpu-period", "100000", "--cpu-quota", "50000", "--cpuset-cpus", "0", "--pids-limit", "20", "c1");
        var r = UpdateCommand.merge(null, l);
        assertThat(r.memory().limit()).isEqualTo(64L << 20);
        assertThat(r.cpu().quota()).isEqualTo(50_000L);
        assertThat(r.cpu().cpus()).isEqualTo("0");
        assertThat(r.pids().limit()).isEqualTo(20L);
        var again = UpdateCommand.merge(r, new UpdateCommand.Limits(null, null, null, 512L, null, null, null));
        assertThat(again.cpu().shares()).isEqualTo(512L);
        assertThat(again.cpu().quota()).isEqualTo(50_000L);
        assertThat(again.memory().limit()).isEqualTo(64L << 20);
    }
}
