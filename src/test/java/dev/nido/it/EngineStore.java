package dev.nido.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A private engine store for one test: {@code bin/nido --root DIR/store}. {@link #close()}
 * removes its containers and image mounts, checks that nothing stays mounted under it, and deletes it.
 */
final class EngineStore implements AutoCloseable {
    final Path dir;
    final Path root;

    EngineStore(String prefix) throws IOException {
        dir = Files.createTempDirectory(prefix);
        root = dir.resolve("store");
    }

    /** {@code bin/nido --root ROOT ARGS...}. */
    Cli.Result nido(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Cli.HOME.resolve("bin/nido").toString(), "--root", root.toString()));
        cmd.addAll(List.of(args));
        return Cli.raw(null, cmd);
    }

    /** As {@link #nido} and asserts exit status 0. */
    Cli.Result ok(String... args) {
        Cli.Result r = nido(args);
        assertThat(r.code()).as(String.join(" ", args) + "\n" + r).isZero();
        return r;
    }

    @Override
    public void close() throws IOException {
        for (String what : List.of("containers", "mounts")) {
            Path d = root.resolve(what);
            if (Files.isDirectory(d)) {
                try (Stream<Path> s = Files.list(d)) {
                    for (Path p : s.toList()) {
                        if (what.equals("containers")) {
                            nido("rm", "-f", p.getFileName().toString());
                        } else {
                            nido("image", "unmount", p.toString());
                        }
                    }
                }
            }
        }
        assertThat(Sandbox.hostMountsUnder(dir)).as("mounts left under " + dir).isEmpty();
        Sandbox.deleteTree(dir);
    }
}
