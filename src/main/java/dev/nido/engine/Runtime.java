package dev.nido.engine;

import dev.nido.image.build.RuntimeLauncher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
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

    /** The {@code nido} launcher beside {@code nido-runtime} (the monitor's exit command runs it). */
    Path engineLauncher() {
        return launcher.resolveSibling("nido");
    }

    private List<String> cmd(List<String> args) {
        List<String> c = new ArrayList<>(List.of(launcher.toString(), "--root", state.toString()));
        if (explain && (args.get(0).equals("run") || args.get(0).equals("create"))) {
            c.add("--explain");
        }
        c.addAll(args);
        return c;
    }

    /** What a runtime command printed and how it ended. */
    record Result(int code, String out, String err) {
        boolean ok() {
            return code == 0;
        }

        /** The runtime's own message, without its "nido-runtime: " prefix. */
        String message() {
            String e = err.strip();
            return e.replace("nido-runtime: ", "");
        }
    }

    /** Runs a runtime command with its output captured (stderr also passed through with --explain). */
    Result call(String... args) {
        try {
            java.lang.Process p = new ProcessBuilder(cmd(List.of(args))).redirectInput(ProcessBuilder.Redirect.PIPE)
                    .start();
            p.getOutputStream().close();
            StringBuilder err = new StringBuilder();
            Thread copier = Thread.ofPlatform().daemon().start(() -> collect(p.getErrorStream(), err, explain));
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int code = p.waitFor();
            copier.join(5000);
            synchronized (err) {
                return new Result(code, out, err.toString());
            }
        } catch (IOException e) {
            throw new EngineException("cannot run " + launcher + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException("interrupted while " + launcher + " ran", e);
        }
    }

    /** Runs a runtime command with this process's stdio (exec, ps), stdin from {@code in} if not null; returns its status. */
    int inherit(List<String> args, java.io.File in) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd(args)).inheritIO().redirectError(ProcessBuilder.Redirect.PIPE);
            if (in != null) {
                pb.redirectInput(in);
            }
            java.lang.Process p = pb.start();
            StringBuilder tail = new StringBuilder();
            Thread copier = Thread.ofPlatform().daemon().start(() -> collect(p.getErrorStream(), tail, true));
            int code = p.waitFor();
            copier.join(2000);
            synchronized (tail) {
                return code == 1 ? startFailure(tail.toString(), code) : code;
            }
        } catch (IOException e) {
            throw new EngineException("cannot run " + launcher + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException("interrupted while " + launcher + " ran", e);
        }
    }

    private static void collect(InputStream err, StringBuilder tail, boolean echo) {
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = err.read(buf)) > 0; ) {
                if (echo) {
                    System.err.write(buf, 0, n);
                    System.err.flush();
                }
                synchronized (tail) {
                    tail.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                    if (tail.length() > 16384) {
                        tail.delete(0, tail.length() - 16384);
                    }
                }
            }
        } catch (IOException e) {
            // the runtime is gone
        }
    }

    /**
     * Creates and starts the container with the helper staying as its monitor ({@code run -d
     * --monitor}); a failure is an EngineException with Docker's status (127 not found, 126 not
     * executable, 125 otherwise) and the runtime's words.
     */
    void runDetached(Path bundle, String id, Path monitorConfig) {
        Result r = call("run", "--detach", "--monitor", monitorConfig.toString(), "--bundle", bundle.toString(), id);
        if (!r.ok()) {
            int code = startFailure(r.err(), r.code());
            throw new EngineException(r.message(), code == 1 ? EngineException.ENGINE : code);
        }
    }

    /** A runtime running a container in the foreground ({@code run --monitor}): it ends after deleting it. */
    static final class Foreground {
        private final java.lang.Process process;
        private final StringBuilder err;
        private final Thread copier;

        private Foreground(java.lang.Process process, StringBuilder err, Thread copier) {
            this.process = process;
            this.err = err;
            this.copier = copier;
        }

        /** Waits for the runtime (it deletes the container once the monitor reported the exit). */
        int waitFor() {
            try {
                int code = process.waitFor();
                copier.join(2000);
                return code;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }

        String err() {
            synchronized (err) {
                return err.toString();
            }
        }
    }

    /**
     * {@code run --monitor} in the foreground, not waited for: returns once {@code ready} (the
     * monitor's pid file, written at READY) exists; a runtime that ends first failed to start the
     * container, which becomes an EngineException as in {@link #runDetached}.
     */
    Foreground runForeground(Path bundle, String id, Path monitorConfig, Path ready) {
        java.lang.Process p;
        try {
            p = new ProcessBuilder(cmd(List.of("run", "--monitor", monitorConfig.toString(), "--bundle",
                    bundle.toString(), id))).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new EngineException("cannot run " + launcher + ": " + e.getMessage(), e);
        }
        StringBuilder err = new StringBuilder();
        Thread copier = Thread.ofPlatform().daemon().start(() -> collect(p.getErrorStream(), err, explain));
        Foreground fg = new Foreground(p, err, copier);
        while (!java.nio.file.Files.exists(ready)) {
            if (!p.isAlive()) {
                int code = fg.waitFor();
                if (java.nio.file.Files.exists(ready)) {
                    break; // a container that ended at once
                }
                String text = fg.err();
                int mapped = startFailure(text, code);
                throw new EngineException(text.strip().replace("nido-runtime: ", ""),
                        mapped == 1 || mapped == 0 ? EngineException.ENGINE : mapped);
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EngineException("interrupted while the container started", e);
            }
        }
        return fg;
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

    /** A runtime command that must succeed; its failure becomes an EngineException with its words. */
    Result must(String... args) {
        Result r = call(args);
        if (!r.ok()) {
            throw new EngineException(r.message().isEmpty() ? "nido-runtime " + args[0] + " failed (status " + r.code()
                    + ")" : r.message());
        }
        return r;
    }

    /** delete --force: kills what is left and removes the runtime's state (quietly: it may be gone). */
    void deleteForce(String id) {
        call("delete", "--force", id);
    }
}
