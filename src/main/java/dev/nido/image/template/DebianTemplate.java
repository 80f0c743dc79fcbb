package dev.nido.image.template;

import dev.nido.image.ImageException;
import dev.nido.oci.ContainerConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Debian made by debootstrap from the configured mirror, as {@code lxc-create -t debian} does. The
 * finished tree is kept under the cache ({@code CACHE/debian/SUITE-ARCH-VARIANT}), so the second
 * creation copies it instead of downloading again.
 */
final class DebianTemplate implements Template {
    @Override
    public String name() {
        return "debian";
    }

    @Override
    public String summary() {
        return "Debian by debootstrap (minbase), cached after the first run (root, network to the mirror)";
    }

    @Override
    public List<String> options() {
        return List.of("suite=NAME     Debian release (default bookworm)",
                "mirror=URL     Debian mirror (default: the host's apt source, else http://deb.debian.org/debian)",
                "variant=NAME   debootstrap variant (default minbase)",
                "include=A,B    extra packages");
    }

    @Override
    public void build(Path rootfs, Map<String, String> options, Path cache, Consumer<String> log) {
        String suite = options.getOrDefault("suite", "bookworm");
        String variant = options.getOrDefault("variant", "minbase");
        String include = options.getOrDefault("include", "");
        String arch = dev.nido.oci.Platform.host().architecture();
        Path cached = cache.resolve(suite + "-" + arch + "-" + variant + (include.isEmpty() ? "" : "-" + include.replace(',', '+')));
        if (!Files.isRegularFile(cached.resolve(".nido-complete"))) {
            debootstrap(cached, suite, variant, include, mirror(options), log);
        } else {
            log.accept("debian: using the cached " + cached);
        }
        // cp -a keeps ownership, modes, links, devices and xattrs the way the tree was made
        HostCommand.run(List.of("cp", "-a", "--no-target-directory", cached.resolve("rootfs").toString(),
                rootfs.toString()), 600, null, null);
    }

    private void debootstrap(Path cached, String suite, String variant, String include, String mirror,
                             Consumer<String> log) {
        if (!dev.nido.runtime.Identity.isRoot()) {
            throw new ImageException("the debian template needs root (debootstrap creates device nodes and chowns files)");
        }
        try {
            if (Files.exists(cached)) {
                HostCommand.run(List.of("rm", "-rf", cached.toString()), 300, null, null);
            }
            Files.createDirectories(cached);
        } catch (IOException e) {
            throw new ImageException("create " + cached + ": " + e.getMessage(), e);
        }
        List<String> cmd = new ArrayList<>(List.of("debootstrap", "--variant=" + variant));
        if (!include.isEmpty()) {
            cmd.add("--include=" + include);
        }
        cmd.addAll(List.of(suite, cached.resolve("rootfs").toString(), mirror));
        log.accept("debian: debootstrap " + suite + " from " + mirror + " (the first time takes a minute or so)");
        HostCommand.run(cmd, 1800, line -> log.accept("debootstrap: " + line),
                "install it with apt-get install debootstrap, and check the mirror is reachable");
        // apt's caches are not part of an image
        HostCommand.run(List.of("sh", "-c", "rm -rf \"$0\"/var/cache/apt/archives/*.deb \"$0\"/var/lib/apt/lists/*",
                cached.resolve("rootfs").toString()), 60, null, null);
        RootfsFiles.write(cached, ".nido-complete", suite + " " + mirror + "\n");
    }

    /** The mirror: the option, else the first Debian URI of the host's apt sources, else deb.debian.org. */
    static String mirror(Map<String, String> options) {
        String m = options.get("mirror");
        if (m != null && !m.isEmpty()) {
            return m;
        }
        m = System.getenv("NIDO_DEBIAN_MIRROR");
        if (m != null && !m.isEmpty()) {
            return m;
        }
        for (Path f : List.of(Path.of("/etc/apt/sources.list.d/debian.sources"), Path.of("/etc/apt/sources.list"))) {
            try {
                for (String line : Files.readAllLines(f)) {
                    String t = line.strip();
                    if (t.startsWith("URIs:") && !t.contains("security")) {
                        return t.substring(5).strip().split("\\s+")[0];
                    }
                    if (t.startsWith("deb ") && !t.contains("security")) {
                        String[] parts = t.split("\\s+");
                        for (String p : parts) {
                            if (p.startsWith("http")) {
                                return p;
                            }
                        }
                    }
                }
            } catch (IOException e) {
                // not there: next
            }
        }
        return "http://deb.debian.org/debian";
    }

    @Override
    public ContainerConfig config(Map<String, String> options) {
        return new ContainerConfig(null, null, List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"),
                null, List.of("bash"), null, "/", Map.of("dev.nido.template", "debian"), null, null);
    }

    @Override
    public String defaultImageName(Map<String, String> options) {
        return "debian:" + options.getOrDefault("suite", "bookworm");
    }
}
