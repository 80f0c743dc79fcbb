package dev.nido.runtime;

import dev.nido.linux.Fd;
import dev.nido.linux.Syscalls;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the C helper ({@code nido-shim}) next to the jar, or at {@code -Dnido.shim}, and
 * exposes it as a sealed memfd so that a container cannot rewrite it through /proc/PID/exe.
 */
final class HelperBinary {
    private static Path located;

    private HelperBinary() {
    }

    static synchronized Path path() {
        if (located == null) {
            located = locate();
        }
        return located;
    }

    private static Path locate() {
        String prop = System.getProperty("nido.shim");
        if (prop != null) {
            return Path.of(prop);
        }
        try {
            Path jar = Path.of(HelperBinary.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path dir = Files.isDirectory(jar) ? jar.getParent() : jar.getParent();
            for (Path p : new Path[] {dir.resolve("nido-shim"), dir.resolve("../nido-shim").normalize()}) {
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
            throw new ContainerException("helper nido-shim not found next to " + jar
                    + " (build with 'mvn package', or set -Dnido.shim=PATH)");
        } catch (URISyntaxException e) {
            throw new ContainerException("cannot locate the nido jar: " + e.getMessage(), e);
        }
    }

    /** A sealed in-memory copy of the helper. The caller closes it. */
    static Fd sealedCopy(Syscalls sys) {
        try {
            return sys.sealedMemfd("nido-shim", Files.readAllBytes(path()));
        } catch (IOException e) {
            throw new ContainerException("read helper " + path() + ": " + e.getMessage(), e);
        }
    }
}
