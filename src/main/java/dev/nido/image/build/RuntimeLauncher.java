package dev.nido.image.build;

import dev.nido.image.ImageException;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the {@code nido-runtime} launcher is: the {@code nido.runtime} system property, else
 * {@code NIDO_RUNTIME}, else {@code bin/nido-runtime} next to the running code ({@code
 * .../target/nido.jar} or {@code .../lib/nido.jar} → {@code .../bin/nido-runtime}). The build runs
 * RUN steps through it as an external program, exactly as podman runs crun.
 */
public final class RuntimeLauncher {
    private RuntimeLauncher() {
    }

    public static Path find() {
        return find(System.getProperty("nido.runtime"), System.getenv(), codeLocation());
    }

    static Path find(String property, Map<String, String> env, Path code) {
        if (property != null && !property.isEmpty()) {
            return check(Path.of(property), "the nido.runtime property");
        }
        String e = env.get("NIDO_RUNTIME");
        if (e != null && !e.isEmpty()) {
            return check(Path.of(e), "NIDO_RUNTIME");
        }
        if (code != null && code.getParent() != null && code.getParent().getParent() != null) {
            Path launcher = code.getParent().getParent().resolve("bin/nido-runtime");
            if (Files.isExecutable(launcher)) {
                return launcher;
            }
        }
        throw new ImageException("nido-runtime not found next to " + code
                + " (expected ../bin/nido-runtime beside the jar; set NIDO_RUNTIME=/path/to/nido-runtime)");
    }

    private static Path check(Path p, String from) {
        if (!Files.isExecutable(p)) {
            throw new ImageException(from + ": " + p + " is not an executable nido-runtime");
        }
        return p;
    }

    private static Path codeLocation() {
        try {
            var src = RuntimeLauncher.class.getProtectionDomain().getCodeSource();
            return src == null ? null : Path.of(src.getLocation().toURI()).toAbsolutePath();
        } catch (URISyntaxException | SecurityException e) {
            return null;
        }
    }
}
