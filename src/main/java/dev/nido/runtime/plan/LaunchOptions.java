package dev.nido.runtime.plan;

import java.nio.file.Path;
import java.util.List;

/**
 * What the runtime decided about one launch beyond the spec itself.
 *
 * @param detach      true: the helper exits once the container is set up (create, run -d)
 * @param execFifo    the exec fifo for the create/start split, or null to exec at once (run)
 * @param noPivot     chroot instead of pivot_root (--no-pivot)
 * @param consoleFd   fd number of the console socket in the helper, or -1
 * @param relayConsole the helper relays its own stdio to the container's pty (run -t without socket)
 * @param lastCap     the kernel's last capability (/proc/sys/kernel/cap_last_cap)
 * @param cgroupMounts host directories of the container's cgroups to bind at a "cgroup" mount on a v1 host,
 *                     each with the sub-directory name under the mount point; empty on a v2 host
 * @param seccomp        the compiled filter, or null for none
 * @param hostCgroupView the container has no cgroup of its own (a non-root user without delegation):
 *                       a "cgroup" mount shows the host's /sys/fs/cgroup read-only, as runc does then
 * @param idmapRootfs    mount the rootfs id-mapped with the container's own uid/gid maps (its files belong
 *                       to host ids the container's user namespace does not map)
 * @param monitor        the helper stays as the container's monitor (engine's detached containers), or null
 */
public record LaunchOptions(boolean detach, Path execFifo, boolean noPivot, int consoleFd, boolean relayConsole,
                            int lastCap, List<CgroupMount> cgroupMounts, SeccompLoad seccomp,
                            boolean hostCgroupView, boolean idmapRootfs, PlanStep.Monitor monitor) {
    public LaunchOptions {
        cgroupMounts = List.copyOf(cgroupMounts);
    }

    /** Without a monitor: create, run, exec as runc does them. */
    public LaunchOptions(boolean detach, Path execFifo, boolean noPivot, int consoleFd, boolean relayConsole,
                         int lastCap, List<CgroupMount> cgroupMounts, SeccompLoad seccomp,
                         boolean hostCgroupView, boolean idmapRootfs) {
        this(detach, execFifo, noPivot, consoleFd, relayConsole, lastCap, cgroupMounts, seccomp, hostCgroupView,
                idmapRootfs, null);
    }

    /** One cgroup v1 hierarchy to show inside the container. */
    public record CgroupMount(String name, Path hostDir) {
    }
}
