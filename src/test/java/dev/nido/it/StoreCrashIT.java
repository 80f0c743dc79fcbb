package dev.nido.it;

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
 * kill -9 of {@code nido} while it writes a blob and while it unpacks a layer: the store stays
 * readable, {@code nido system check} names what was left, {@code --repair} removes it, and the
 * same command run again completes.
 */
class StoreCrashIT {
    private EngineStore store;
    private Path dir;
    private Path root;
    private Path bigTar;

    @BeforeEach
    void setUp() throws IOException {
        store = new EngineStore("nido-store-crash-");
        dir = store.dir;
        root = store.root;
        bigTar = dir.resolve("big.tar");
        // ~256 MB that does not compress, one big file and 8192 small ones: long enough to be killed
        sh("mkdir -p " + dir + "/src/data/many && head -c 201326592 /dev/urandom > " + dir + "/src/data/blob"
                + " && head -c 67108864 /dev/urandom | (cd " + dir + "/src/data/many && split -b 8192 -a 4)"
                + " && echo small > " + dir + "/src/data/small && tar -C " + dir + "/src -cf " + bigTar + " .");
    }

    @AfterEach
    void tearDown() throws IOException {
        store.close();
    }

    private List<String> cmd(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Cli.HOME.resolve("bin/nido").toString(), "--root", root.toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private Cli.Result nido(String... args) {
        return store.nido(args);
    }

    private static void sh(String script) {
        Cli.Result r = Cli.raw(null, List.of("sh", "-c", script));
        assertThat(r.code()).as(script + "\n" + r).isZero();
    }

    /** Starts the command, kills it with SIGKILL after {@code millis}; returns whether it was still running. */
    private boolean killAfter(long millis, String... args) throws Exception {
        Process p = new ProcessBuilder(cmd(args)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        boolean finished = p.waitFor(millis, TimeUnit.MILLISECONDS);
        if (!finished) {
            p.destroyForcibly(); // SIGKILL
            p.waitFor();
        }
        return !finished;
    }

    private void checkRepairsAndIsConsistent() {
        Cli.Result check = nido("system", "check");
        assertThat(check.err()).doesNotContain("Exception");
        Cli.Result repair = nido("system", "check", "--repair");
        assertThat(repair.code()).as(repair.toString()).isZero();
        Cli.Result again = nido("system", "check");
        assertThat(again.code()).as(again.toString()).isZero();
        assertThat(again.out()).contains("consistent");
    }

    @Test
    void aKilledImportLeavesNothingARepairCannotRemoveAndRunsAgain() throws Exception {
        boolean killed = false;
        for (long ms : new long[] {600, 1200, 2500}) {
            killed |= killAfter(ms, "import", bigTar.toString(), "big:1");
            if (killed) {
                break;
            }
            nido("image", "rm", "big:1");
        }
        assertThat(killed).as("import finished before every kill: the test proved nothing").isTrue();
        assertThat(nido("images").code()).isZero(); // the store is readable
        assertThat(nido("images").out()).doesNotContain("big"); // a name is written last
        checkRepairsAndIsConsistent();
        Cli.Result r = nido("import", bigTar.toString(), "big:1");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(nido("images").out()).contains("big");
    }

    @Test
    void aKilledUnpackIsRedoneWhole() throws Exception {
        Cli.Result imp = nido("import", bigTar.toString(), "big:1");
        assertThat(imp.code()).as(imp.toString()).isZero();
        boolean killed = false;
        for (long ms : new long[] {400, 900, 1800, 3600}) {
            killed |= killAfter(ms, "image", "mount", "big:1");
            if (killed) {
                break;
            }
            // it finished: undo it, so that the next try unpacks again
            try (Stream<Path> s = Files.list(root.resolve("mounts"))) {
                for (Path d : s.toList()) {
                    nido("image", "unmount", d.toString());
                }
            }
            sh("rm -rf " + root.resolve("snapshots"));
        }
        assertThat(killed).as("the unpack finished before every kill: the test proved nothing").isTrue();
        checkRepairsAndIsConsistent();
        Cli.Result m = nido("image", "mount", "big:1");
        assertThat(m.code()).as(m.toString()).isZero();
        Path rootfs = Path.of(m.out().strip());
        assertThat(Files.size(rootfs.resolve("data/blob"))).isEqualTo(201326592L);
        try (Stream<Path> many = Files.list(rootfs.resolve("data/many"))) {
            assertThat(many.count()).isEqualTo(8192);
        }
        assertThat(Files.readString(rootfs.resolve("data/small"))).isEqualTo("small\n");
        assertThat(nido("image", "unmount", rootfs.toString()).code()).isZero();
    }
}
