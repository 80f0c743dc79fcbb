package dev.nido.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 20 containers created, started, stopped and removed at once from separate CLI processes, twice:
 * every command succeeds and the host and the store are clean afterwards (no container, mount,
 * cgroup, runtime state, socket or monitor).
 */
class EngineConcurrencyIT {
    private static final int N = 20;
    private EngineStore store;

    @BeforeEach
    void setUp() throws IOException {
        store = new EngineStore("nido-engine-many-");
        store.ok("run", "--rm", "busybox", "true"); // the image, made once
    }

    @AfterEach
    void tearDown() throws IOException {
        store.close();
    }

    @Test
    void twentyAtOnceTwiceLeaveNothingBehind() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(N);
        List<String> ids = new ArrayList<>();
        try {
            for (int round = 0; round < 2; round++) {
                List<Future<String>> all = new ArrayList<>();
                for (int i = 0; i < N; i++) {
                    String name = "c" + round + "-" + i;
                    all.add(pool.submit(() -> lifecycle(name)));
                }
                for (Future<String> f : all) {
                    ids.add(f.get());
                }
                assertThat(store.ok("ps", "-a", "-q").out()).isEmpty();
                for (String id : ids) {
                    assertThat(EngineLifecycleIT.cgroupsNamed(id)).as("cgroups of " + id).isEmpty();
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(Sandbox.hostMountsUnder(store.root)).isEmpty();
        // nido's shared parent cgroup goes with its last container, whichever created it
        try (Stream<Path> hs = Files.list(Path.of("/sys/fs/cgroup"))) {
            for (Path h : hs.toList()) {
                Path parent = h.resolve("nido");
                if (Files.isDirectory(parent)) {
                    try (Stream<Path> kids = Files.list(parent)) {
                        assertThat(kids.anyMatch(Files::isDirectory)).as(parent + " left empty").isTrue();
                    }
                }
            }
        }
        for (String d : List.of("containers", "runtime", "sock")) {
            Path p = store.root.resolve(d);
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    assertThat(s.toList()).as(d + " left").isEmpty();
                }
            }
        }
        Thread.sleep(1500); // the monitors' exit commands find nothing left to do and end
        assertThat(processesOf(ids, store.root)).as("monitors or cleanups left").isEmpty();
        assertThat(store.ok("system", "check").out()).contains("is consistent");
    }

    /** create, start, stop, rm; returns the id. */
    private String lifecycle(String name) {
        String id = store.ok("create", "--name", name, "busybox", "sleep", "1000").out().strip();
        store.ok("start", name);
        assertThat(store.ok("exec", name, "hostname").out().strip()).isEqualTo(id.substring(0, 12));
        store.ok("stop", "-t", "0", name);
        store.ok("rm", name);
        return id;
    }

    /** Processes whose command line names one of the containers (a monitor: "nido-shim ID") or this store. */
    static List<Long> processesOf(List<String> ids, Path root) throws IOException {
        List<Long> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("/proc"))) {
            for (Path p : s.filter(x -> x.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline"))).replace('\0', ' ');
                    if (ids.stream().anyMatch(cmd::contains) || cmd.contains(root.toString() + " ")) {
                        out.add(Long.parseLong(p.getFileName().toString()));
                    }
                } catch (IOException e) {
                    // gone meanwhile
                }
            }
        }
        return out;
    }
}
