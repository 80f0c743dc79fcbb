package dev.nido.image.template;

import dev.nido.image.ImageException;
import dev.nido.oci.ContainerConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A root filesystem made from the host's static busybox (Debian's busybox-static): the binary, a
 * link for each applet where busybox says it belongs, a minimal /etc. Needs no network: this is
 * the image the README's first commands use.
 */
final class BusyboxTemplate implements Template {
    static final Path BUSYBOX = Path.of("/bin/busybox");

    @Override
    public String name() {
        return "busybox";
    }

    @Override
    public String summary() {
        return "busybox from the host's busybox-static, every applet linked, a minimal /etc (offline)";
    }

    @Override
    public List<String> options() {
        return List.of("busybox=PATH   a static busybox binary (default /bin/busybox)");
    }

    @Override
    public void build(Path rootfs, Map<String, String> options, Path cache, Consumer<String> log) {
        Path bb = Path.of(options.getOrDefault("busybox", BUSYBOX.toString()));
        if (!Files.isExecutable(bb)) {
            throw new ImageException(bb + " is missing: the busybox template needs a static busybox"
                    + " (apt-get install busybox-static)");
        }
        String ldd = HostCommand.run(List.of("sh", "-c", "ldd \"$0\" 2>&1 || true", bb.toString()), 30, null, null);
        if (!ldd.contains("not a dynamic executable") && !ldd.contains("statically linked")) {
            throw new ImageException(bb + " is dynamically linked: the busybox template needs the static one"
                    + " (apt-get install busybox-static)");
        }
        RootfsFiles.dirs(rootfs, "bin", "sbin", "usr/bin", "usr/sbin", "etc", "proc", "sys", "dev", "tmp", "root",
                "run", "var/log", "home");
        RootfsFiles.mode(rootfs.resolve("tmp"), 01777);
        RootfsFiles.mode(rootfs.resolve("root"), 0700);
        RootfsFiles.copyFile(bb, rootfs, "bin/busybox");
        String list = HostCommand.run(List.of(bb.toString(), "--list-full"), 30, null, null);
        for (String applet : list.split("\n")) {
            applet = applet.strip();
            if (applet.isEmpty() || applet.equals("bin/busybox")) {
                continue;
            }
            int depth = applet.split("/").length - 1;
            RootfsFiles.symlink(rootfs, applet, "../".repeat(depth) + "bin/busybox");
        }
        RootfsFiles.write(rootfs, "etc/passwd", "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n");
        RootfsFiles.write(rootfs, "etc/group", "root:x:0:\nnogroup:x:65534:\n");
        RootfsFiles.write(rootfs, "etc/os-release", "NAME=\"BusyBox\"\nID=busybox\nPRETTY_NAME=\"BusyBox (nido template)\"\n");
        RootfsFiles.write(rootfs, "etc/hosts", "127.0.0.1\tlocalhost\n::1\tlocalhost\n");
        RootfsFiles.write(rootfs, "etc/inittab", "::sysinit:/bin/mount -a\n::respawn:-/bin/sh\n::ctrlaltdel:/sbin/reboot\n"
                + "::shutdown:/bin/umount -a -r\n");
    }

    @Override
    public ContainerConfig config(Map<String, String> options) {
        return new ContainerConfig(null, null, List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"),
                null, List.of("sh"), null, "/", Map.of("dev.nido.template", "busybox"), null, null);
    }
}
