package dev.nido.engine;

import dev.nido.oci.Mount;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * System containers (LXC's kind): the image's init is PID 1 with a terminal for {@code nido
 * console}, may shut the container down with reboot(2), and is stopped the way it expects
 * ({@link #stopSignal}). Also
 * {@code --init}: Debian's static tini bound at /dev/init, as Docker does with docker-init.
 */
final class SystemContainers {
    static final String INIT_PATH = "/dev/init";
    static final List<Path> TINI = List.of(Path.of("/usr/bin/tini-static"), Path.of("/usr/bin/docker-init"));

    private SystemContainers() {
    }

    /** Whether the image's /sbin/init is systemd (read as a link target, never followed out of the root). */
    static boolean isSystemd(Path rootfs) {
        for (String p : List.of("sbin/init", "usr/sbin/init")) {
            Path init = rootfs.resolve(p);
            try {
                if (Files.isSymbolicLink(init) && Files.readSymbolicLink(init).toString().contains("systemd")) {
                    return true;
                }
            } catch (java.io.IOException e) {
                // not readable: not systemd
            }
        }
        return false;
    }

    /**
     * The signal that asks the image's init to shut down: SIGRTMIN+3 for systemd, SIGPWR (halt) for
     * busybox's init, SIGINT for sysvinit and others (their ctrlaltdel action: Debian's inittab runs
     * {@code shutdown -r now}, whose reboot(2) ends the container's PID namespace).
     */
    static String stopSignal(Path rootfs) {
        if (isSystemd(rootfs)) {
            return "RTMIN+3";
        }
        return linkTarget(rootfs.resolve("sbin/init")).contains("busybox") ? "PWR" : "INT";
    }

    private static String linkTarget(Path p) {
        try {
            return Files.isSymbolicLink(p) ? Files.readSymbolicLink(p).toString() : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }

    /** systemd wants to know it runs in a container. */
    static List<String> env(List<String> env) {
        List<String> out = new ArrayList<>(env);
        out.add("container=nido");
        return out;
    }

    /** systemd's tmpfs mounts, unless the user gave them. */
    static List<Mount> systemdMounts(List<Mount> have) {
        List<Mount> out = new ArrayList<>();
        for (String p : List.of("/run", "/run/lock", "/tmp")) {
            if (have.stream().noneMatch(m -> m.destination().equals(p))) {
                out.add(Mount.of(p, "tmpfs", "tmpfs", List.of("nosuid", "nodev", "mode=755")));
            }
        }
        return out;
    }

    /** tini from the host, read-only at /dev/init. */
    static Mount initMount() {
        for (Path t : TINI) {
            if (Files.isExecutable(t)) {
                return Mount.of(INIT_PATH, "bind", t.toString(), List.of("bind", "ro", "nosuid", "nodev"));
            }
        }
        throw new EngineException("--init needs a static tini on this host (" + TINI.getFirst()
                + "): apt-get install tini");
    }
}
