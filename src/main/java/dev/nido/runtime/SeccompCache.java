package dev.nido.runtime;

import dev.nido.oci.Json;
import dev.nido.oci.Seccomp;
import dev.nido.security.Arch;
import dev.nido.security.SeccompCompiler;
import dev.nido.security.SeccompProgram;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Compiled seccomp filters kept under {@code /var/cache/nido/seccomp/} (a non-root user's:
 * {@code $XDG_CACHE_HOME/nido/seccomp}), so that the same profile
 * (every engine container has the default one) is compiled once, not at every start (~10–20 ms
 * of a cold JVM). An entry holds the profile's JSON, the architecture and the build of nido that
 * compiled it, and is used only when all three are byte for byte the same; otherwise the profile
 * is compiled and the entry replaced. A damaged or foreign entry is just a miss.
 */
final class SeccompCache {
    private SeccompCache() {
    }

    static SeccompProgram compile(Seccomp seccomp, Arch arch) {
        return compile(dir(), seccomp, arch);
    }

    /** {@link #compile(Seccomp, Arch)} with the cache in {@code dir} (null: none). */
    static SeccompProgram compile(Path dir, Seccomp seccomp, Arch arch) {
        if (dir == null) {
            return SeccompCompiler.compile(seccomp, arch);
        }
        byte[] key = key(seccomp, arch);
        Path entry = dir.resolve(Integer.toHexString(Arrays.hashCode(key)) + "-"
                + key.length);
        SeccompProgram hit = read(entry, key);
        if (hit != null) {
            return hit;
        }
        SeccompProgram prog = SeccompCompiler.compile(seccomp, arch);
        write(entry, key, prog);
        return prog;
    }

    /** The cache directory, or null when there is none to use. */
    private static Path dir() {
        if (Identity.isRoot()) {
            return Path.of("/var/cache/nido/seccomp");
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        String home = System.getProperty("user.home");
        return xdg != null && xdg.startsWith("/") ? Path.of(xdg, "nido", "seccomp")
                : home != null && home.startsWith("/") ? Path.of(home, ".cache", "nido", "seccomp") : null;
    }

    private static byte[] key(Seccomp seccomp, Arch arch) {
        byte[] json = Json.writeCompact(seccomp);
        byte[] tag = (arch.name() + "\n" + build() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] key = Arrays.copyOf(tag, tag.length + json.length);
        System.arraycopy(json, 0, key, tag.length, json.length);
        return key;
    }

    /** This build of nido: the jar (or class directory) it runs from, its size and modification time. */
    private static String build() {
        try {
            var src = SeccompCache.class.getProtectionDomain().getCodeSource();
            Path p = Path.of(src.getLocation().toURI());
            return p + " " + Files.size(p) + " " + Files.getLastModifiedTime(p).toMillis();
        } catch (Exception e) {
            return "unknown " + System.nanoTime(); // never matches: always compiled
        }
    }

    private static SeccompProgram read(Path entry, byte[] key) {
        try {
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(entry));
            int keyLen = b.getInt();
            if (keyLen != key.length) {
                return null;
            }
            byte[] stored = new byte[keyLen];
            b.get(stored);
            if (!Arrays.equals(stored, key)) {
                return null;
            }
            int flags = b.getInt();
            byte[] bpf = new byte[b.getInt()];
            b.get(bpf);
            return new SeccompProgram(bpf, flags, List.of());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static void write(Path entry, byte[] key, SeccompProgram prog) {
        ByteBuffer b = ByteBuffer.allocate(12 + key.length + prog.bpf().length);
        b.putInt(key.length).put(key).putInt(prog.flags()).putInt(prog.bpf().length).put(prog.bpf());
        try {
            Files.createDirectories(entry.getParent());
            Path tmp = entry.resolveSibling(entry.getFileName() + ".tmp-" + ProcessHandle.current().pid());
            Files.write(tmp, b.array());
            Files.move(tmp, entry, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // a cache that cannot be written only costs the next start a compile
        }
    }
}
