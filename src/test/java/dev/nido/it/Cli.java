package dev.nido.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the built bin/nido-runtime exactly as podman's conmon or containerd's shim would. */
final class Cli {
    static final Path HOME = Path.of(System.getProperty("nido.home", ".")).toAbsolutePath().normalize();
    static final Path RUNTIME = HOME.resolve("bin/nido-runtime");
    static final Path PROBE = HOME.resolve("target/nido-probe");

    /** The result of one command. */
    record Result(int code, String out, String err) {
        String line(String key) {
            for (String l : out.split("\n")) {
                if (l.startsWith(key + "=")) {
                    return l.substring(key.length() + 1);
                }
            }
            return null;
        }

        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private Cli() {
    }

    static Result run(Path root, String... args) {
        return exec(null, root, args);
    }

    static Result exec(String stdin, Path root, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(RUNTIME.toString());
        cmd.add("--root");
        cmd.add(root.toString());
        cmd.addAll(List.of(args));
        return raw(stdin, cmd);
    }

    static Result raw(String stdin, List<String> cmd) {
        try {
            Path out = Files.createTempFile("nido-it", ".out");
            Path err = Files.createTempFile("nido-it", ".err");
            try {
                ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
                if (stdin == null) {
                    pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
                }
                Process p = pb.start();
                if (stdin != null) {
                    try (var in = p.getOutputStream()) {
                        in.write(stdin.getBytes(StandardCharsets.UTF_8));
                    }
                }
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor();
                    throw new AssertionError("timed out: " + cmd);
                }
                return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run " + cmd + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Starts a command without waiting (for kill tests). */
    static Process start(Path root, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(RUNTIME.toString());
        cmd.add("--root");
        cmd.add(root.toString());
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(
                Path.of("/dev/null").toFile())).start();
    }
}
