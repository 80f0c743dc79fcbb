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

    private final boolean explain;

    Runtime(Path state, boolean explain) {
        this.launcher = RuntimeLauncher.find();
        this.state = state;
        this.explain = explain;
    }

    private List<String> cmd(String... args) {
        List<String> c = new ArrayList<>(List.of(launcher.toString(), "--root", state.toString()));
        if (explain && args[0].equals("run")) {
            c.add("--explain");
        }
        c.addAll(List.of(args));
        return c;
    }

    /**
     * Runs the container in the foreground with this process's stdio; returns its exit status, or
     * Docker's 127 / 126 when the command could not be found / executed (told, as podman does, by
     * the runtime's words on standard error, which is passed through meanwhile).
     */
    int run(Path bundle, String id) {
        try {
            java.lang.Process p = new ProcessBuilder(cmd("run", "--bundle", bundle.toString(), id))
                    .redirectInput(ProcessBuilder.Redirect.INHERIT).redirectOutput(ProcessBuilder.Redirect.INHERIT)
                    .redirectError(ProcessBuilder.Redirect.PIPE).start();
            StringBuilder tail = new StringBuilder();
            Thread copier = Thread.ofPlatform().daemon().start(() -> copyErr(p.getErrorStream(), tail));
            int code = p.waitFor();
            copier.join(2000);
            return code == 1 ? startFailure(tail.toString(), code) : code;
        } catch (IOException e) {
            throw new EngineException("cannot run " + launcher + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException("interrupted while the container ran", e);
        }
    }

    private static void copyErr(java.io.InputStream err, StringBuilder tail) {
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = err.read(buf)) > 0; ) {
                System.err.write(buf, 0, n);
                System.err.flush();
                synchronized (tail) {
                    tail.append(new String(buf, 0, n, java.nio.charset.StandardCharsets.UTF_8));
                    if (tail.length() > 8192) {
                        tail.delete(0, tail.length() - 8192);
                    }
                }
            }
        } catch (IOException e) {
            // the runtime is gone
        }
    }

    /** 127: the command does not exist; 126: it cannot be executed; else the runtime's own status. */
    static int startFailure(String stderr, int code) {
        if (stderr.contains("executable file not found") || stderr.contains("find the executable")
                && stderr.contains("(ENOENT)")) {
            return 127;
        }
        if (stderr.contains("find the executable") && stderr.contains("(EACCES)")) {
            return 126;
        }
        return code;
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
