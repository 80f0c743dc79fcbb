package dev.nido.image.template;

import dev.nido.image.ImageException;
import dev.nido.oci.ContainerConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The classic chroot exercise done right: a root filesystem holding one host program and exactly
 * the shared libraries {@code ldd} reports for it (the dynamic loader included), each at the path the
 * loader will look for it.
 */
final class HostBinaryTemplate implements Template {
    @Override
    public String name() {
        return "host-binary";
    }

    @Override
    public String summary() {
        return "one host program and exactly the libraries ldd reports (binary=/usr/bin/PROGRAM)";
    }

    @Override
    public List<String> options() {
        return List.of("binary=PATH    the program (required)");
    }

    private static Path binary(Map<String, String> options) {
        String b = options.get("binary");
        if (b == null || b.isEmpty()) {
            throw new ImageException("the host-binary template needs --option binary=PATH (e.g. binary=/usr/bin/ls)");
        }
        Path p = Path.of(b);
        if (!p.isAbsolute() || !Files.isRegularFile(p) || !Files.isExecutable(p)) {
            throw new ImageException("binary=" + b + ": not an absolute path to an executable file on this host");
        }
        return p;
    }

    @Override
    public void build(Path rootfs, Map<String, String> options, Path cache, Consumer<String> log) {
        Path bin = binary(options);
        RootfsFiles.dirs(rootfs, "dev", "proc", "sys", "tmp", "etc");
        RootfsFiles.mode(rootfs.resolve("tmp"), 01777);
        RootfsFiles.copyFile(bin, rootfs, bin.toString());
        for (String lib : libraries(HostCommand.run(List.of("sh", "-c", "ldd \"$0\" 2>&1 || true", bin.toString()),
                30, null, null))) {
            RootfsFiles.copyFile(Path.of(lib), rootfs, lib);
            log.accept("host-binary: " + lib);
        }
        RootfsFiles.write(rootfs, "etc/passwd", "root:x:0:0:root:/:/bin/false\n");
        RootfsFiles.write(rootfs, "etc/group", "root:x:0:\n");
    }

    /** The absolute library paths in ldd's output (the vDSO has none: it is in the kernel). */
    static List<String> libraries(String ldd) {
        List<String> out = new ArrayList<>();
        for (String line : ldd.split("\n")) {
            String t = line.strip();
            int arrow = t.indexOf("=>");
            String path = arrow >= 0 ? t.substring(arrow + 2).strip() : t;
            int paren = path.indexOf(" (");
            if (paren >= 0) {
                path = path.substring(0, paren);
            }
            if (path.startsWith("/")) {
                out.add(path);
            } else if (arrow >= 0 && path.equals("not found")) {
                throw new ImageException("ldd: " + t.substring(0, arrow).strip() + " not found on this host");
            }
        }
        return out;
    }

    @Override
    public ContainerConfig config(Map<String, String> options) {
        return new ContainerConfig(null, null, List.of("PATH=/usr/local/bin:/usr/bin:/bin"), null,
                List.of(binary(options).toString()), null, "/", Map.of("dev.nido.template", "host-binary"), null, null);
    }

    @Override
    public String defaultImageName(Map<String, String> options) {
        String n = binary(options).getFileName().toString().toLowerCase(java.util.Locale.ROOT)
                .replaceAll("[^a-z0-9._-]", "-");
        return "host-" + n + ":latest";
    }
}
