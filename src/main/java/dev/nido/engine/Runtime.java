package dev.nido.engine;

import dev.nido.image.build.RuntimeLauncher;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code nido-runtime} driven as a client, as podman drives crun: the engine never calls the kernel for a container. */
final class Runtime {
    private final Path launcher;
    private final Path state;

    Runtime(Path state) {
        this.launcher = RuntimeLauncher.find();
        this.state = state;
    }

    private List<String> cmd(String... args) {
        List<String> c = new ArrayList<>(List.of(launcher.toString(), "--root", state.toString()));
        c.addAll(List.of(args));
        return c;
    }

    /** Runs the container in the foreground with this process's stdio; returns its exit status. */
    int run(Path bundle, String id) {
        try {
            java.lang.Process p = new ProcessBuilder(cmd("run", "--bundle", bundle.toString(), id)).inheritIO().start();
            return p.waitFor();
        } catch (IOException e) {
            throw new EngineException("cannot run " + launcher + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException("interrupted while the container ran", e);
        }
    }

    /** delete --force: kills what is left and removes the runtime's state (quietly: it may be gone). */
    void deleteForce(String id) {
        try {
            java.lang.Process p = new ProcessBuilder(cmd("delete", "--force", id)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.waitFor();
        } catch (IOException e) {
            throw new EngineException("cannot run " + launcher + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
