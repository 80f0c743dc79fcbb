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
        // The jar's own location: java.class.path (classes loaded from an AOT cache have no CodeSource).
        String cp = System.getProperty("java.class.path", "");
        Path jar = cp.isEmpty() || cp.contains(":") ? codeSource() : Path.of(cp).toAbsolutePath();
        Path dir = jar.getParent();
        for (Path p : new Path[] {dir.resolve("nido-shim"), dir.resolve("../nido-shim").normalize()}) {
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        throw new ContainerException("helper nido-shim not found next to " + jar
                + " (build with 'mvn package', or set -Dnido.shim=PATH)");
    }

    private static Path codeSource() {
        try {
            var loc = HelperBinary.class.getProtectionDomain().getCodeSource();
            if (loc == null || loc.getLocation() == null) {
                throw new ContainerException("cannot locate the nido jar: set -Dnido.shim=PATH to the helper");
            }
            return Path.of(loc.getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new ContainerException("cannot locate the nido jar: " + e.getMessage(), e);
        }
    }

    /** The helper's bytes, read from disk (no kernel call beyond the read). */
    static byte[] bytes() {
        try {
            return Files.readAllBytes(path());
        } catch (IOException e) {
            throw new ContainerException("read helper " + path() + ": " + e.getMessage(), e);
        }
    }

    /** A sealed in-memory copy of the helper's {@link #bytes()}. The caller closes it. */
    static Fd sealedCopy(Syscalls sys, byte[] bytes) {
        return sys.sealedMemfd("nido-shim", bytes);
    }
}
