package dev.nido.oci;

import java.util.ArrayList;
import java.util.List;

/**
 * The spec {@code nido-runtime spec} writes: runc's example spec (hostname {@code nido}) with Docker's
 * default capabilities, and with
 * {@code --rootless} runc's conversion for an unprivileged user.
 */
public final class DefaultSpec {
    /** The runtime-spec version nido writes. */
    public static final String OCI_VERSION = "1.2.0";

    /**
     * The 14 capabilities that Docker and Podman give a container by default (runc's example spec has
     * only three; programs written for containers expect these, e.g. chown in package scripts).
     */
    public static final List<String> DEFAULT_CAPS = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID",
            "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
            "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");
    private static final List<String> MASKED_PATHS = List.of("/proc/acpi", "/proc/asound", "/proc/kcore",
            "/proc/keys", "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug",
            "/sys/firmware", "/sys/devices/virtual/powercap", "/proc/scsi");
    private static final List<String> READONLY_PATHS = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
            "/proc/sysrq-trigger");

    private DefaultSpec() {
    }

    /**
     * The default spec; for {@code rootless}, mapped to the user the JVM runs as (as reported by
     * the JDK). Prefer {@link #create(boolean, long, long)} when the caller knows its ids.
     */
    public static RuntimeSpec create(boolean rootless) {
        if (!rootless) {
            return rootful();
        }
        com.sun.security.auth.module.UnixSystem self = new com.sun.security.auth.module.UnixSystem();
        return create(true, self.getUid(), self.getGid());
    }

    /** The default spec; rootless maps container root to host {@code uid}/{@code gid} (size 1). */
    public static RuntimeSpec create(boolean rootless, long uid, long gid) {
        return rootless ? toRootless(rootful(), uid, gid) : rootful();
    }

    private static RuntimeSpec rootful() {
        Process process = new Process(true, null, User.of(0, 0), List.of("sh"), null,
                List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"), "/",
                new Capabilities(DEFAULT_CAPS, DEFAULT_CAPS, null, DEFAULT_CAPS, null),
                List.of(new Rlimit("RLIMIT_NOFILE", 1024L, 1024L)), true, null, null, null, null, null, null);
        List<Mount> mounts = List.of(
                Mount.of("/proc", "proc", "proc", null),
                Mount.of("/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")),
                Mount.of("/dev/pts", "devpts", "devpts",
                        List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5")),
                Mount.of("/dev/shm", "tmpfs", "shm", List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k")),
                Mount.of("/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev")),
                Mount.of("/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", "ro")),
                Mount.of("/sys/fs/cgroup", "cgroup", "cgroup", List.of("nosuid", "noexec", "nodev", "relatime", "ro")));
        Resources resources = new Resources(List.of(new DeviceCgroup(false, null, null, null, "rwm")),
                null, null, null, null, null, null, null, null);
        List<Namespace> namespaces = List.of(NamespaceType.PID, NamespaceType.NETWORK, NamespaceType.IPC,
                NamespaceType.UTS, NamespaceType.MOUNT, NamespaceType.CGROUP).stream().map(Namespace::of).toList();
        Linux linux = new Linux(null, null, null, null, resources, null, namespaces, null, null, null,
                MASKED_PATHS, READONLY_PATHS, null, null, null, null);
        return new RuntimeSpec(OCI_VERSION, process, new Root("rootfs", true), "nido", null, mounts, null, null, linux);
    }

    /**
     * runc's rootless conversion: a user namespace mapping root to the caller, no network or cgroup
     * namespace, no cgroup resources, the host's /sys bound read-only (sysfs cannot be mounted
     * without owning the network namespace), and no uid=/gid= mount options (ids that are not mapped).
     */
    private static RuntimeSpec toRootless(RuntimeSpec spec, long uid, long gid) {
        List<Namespace> namespaces = new ArrayList<>();
        for (Namespace ns : spec.linux().namespaces()) {
            if (!List.of("network", "user", "cgroup").contains(ns.type())) {
                namespaces.add(ns);
            }
        }
        namespaces.add(Namespace.of(NamespaceType.USER));
        Linux linux = spec.linux().withNamespaces(namespaces)
                .withIdMappings(List.of(IdMapping.of(0, uid, 1)), List.of(IdMapping.of(0, gid, 1)))
                .withResources(null);
        List<Mount> mounts = new ArrayList<>();
        for (Mount m : spec.mounts()) {
            if (m.destination().equals("/sys")) {
                mounts.add(Mount.of("/sys", "none", "/sys", List.of("rbind", "nosuid", "noexec", "nodev", "ro")));
            } else {
                mounts.add(m.withOptions(m.options().stream()
                        .filter(o -> !o.startsWith("uid=") && !o.startsWith("gid=")).toList()));
            }
        }
        return spec.withLinux(linux).withMounts(mounts);
    }
}
