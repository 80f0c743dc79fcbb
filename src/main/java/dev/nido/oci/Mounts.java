package dev.nido.oci;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Mount options of the spec and the kernel flags they mean, as runc reads them: VFS flags for
 * mount(2), recursive attributes for mount_setattr(2), propagation, and everything else passed to
 * the filesystem as data. Pure logic, for the runtime's plan builder and the validator.
 */
public final class Mounts {
    // <sys/mount.h> (mount(2))
    public static final long MS_RDONLY = 1;
    public static final long MS_NOSUID = 2;
    public static final long MS_NODEV = 4;
    public static final long MS_NOEXEC = 8;
    public static final long MS_SYNCHRONOUS = 16;
    public static final long MS_REMOUNT = 32;
    public static final long MS_MANDLOCK = 64;
    public static final long MS_DIRSYNC = 128;
    public static final long MS_NOSYMFOLLOW = 256;
    public static final long MS_NOATIME = 1024;
    public static final long MS_NODIRATIME = 2048;
    public static final long MS_BIND = 4096;
    public static final long MS_MOVE = 8192;
    public static final long MS_REC = 16384;
    public static final long MS_SILENT = 32768;
    public static final long MS_UNBINDABLE = 1L << 17;
    public static final long MS_PRIVATE = 1L << 18;
    public static final long MS_SLAVE = 1L << 19;
    public static final long MS_SHARED = 1L << 20;
    public static final long MS_RELATIME = 1L << 21;
    public static final long MS_I_VERSION = 1L << 23;
    public static final long MS_STRICTATIME = 1L << 24;
    public static final long MS_LAZYTIME = 1L << 25;

    // <linux/mount.h> (mount_setattr(2))
    public static final long MOUNT_ATTR_RDONLY = 0x1;
    public static final long MOUNT_ATTR_NOSUID = 0x2;
    public static final long MOUNT_ATTR_NODEV = 0x4;
    public static final long MOUNT_ATTR_NOEXEC = 0x8;
    /** The access-time field: setting one of the atime modes must also clear this (mount_setattr(2)). */
    public static final long MOUNT_ATTR__ATIME = 0x70;
    public static final long MOUNT_ATTR_RELATIME = 0x0;
    public static final long MOUNT_ATTR_NOATIME = 0x10;
    public static final long MOUNT_ATTR_STRICTATIME = 0x20;
    public static final long MOUNT_ATTR_NODIRATIME = 0x80;
    public static final long MOUNT_ATTR_IDMAP = 0x100000;
    public static final long MOUNT_ATTR_NOSYMFOLLOW = 0x200000;

    /** An option that sets ({@code clear == false}) or clears a flag. */
    private record Flag(boolean clear, long flag) {
        static Flag set(long flag) {
            return new Flag(false, flag);
        }

        static Flag clearing(long flag) {
            return new Flag(true, flag);
        }
    }

    private static final Map<String, Flag> VFS = Map.ofEntries(
            Map.entry("async", Flag.clearing(MS_SYNCHRONOUS)),
            Map.entry("atime", Flag.clearing(MS_NOATIME)),
            Map.entry("bind", Flag.set(MS_BIND)),
            Map.entry("defaults", Flag.set(0)),
            Map.entry("dev", Flag.clearing(MS_NODEV)),
            Map.entry("diratime", Flag.clearing(MS_NODIRATIME)),
            Map.entry("dirsync", Flag.set(MS_DIRSYNC)),
            Map.entry("exec", Flag.clearing(MS_NOEXEC)),
            Map.entry("iversion", Flag.set(MS_I_VERSION)),
            Map.entry("lazytime", Flag.set(MS_LAZYTIME)),
            Map.entry("loud", Flag.clearing(MS_SILENT)),
            Map.entry("mand", Flag.set(MS_MANDLOCK)),
            Map.entry("noatime", Flag.set(MS_NOATIME)),
            Map.entry("nodev", Flag.set(MS_NODEV)),
            Map.entry("nodiratime", Flag.set(MS_NODIRATIME)),
            Map.entry("noexec", Flag.set(MS_NOEXEC)),
            Map.entry("noiversion", Flag.clearing(MS_I_VERSION)),
            Map.entry("nolazytime", Flag.clearing(MS_LAZYTIME)),
            Map.entry("nomand", Flag.clearing(MS_MANDLOCK)),
            Map.entry("norelatime", Flag.clearing(MS_RELATIME)),
            Map.entry("nostrictatime", Flag.clearing(MS_STRICTATIME)),
            Map.entry("nosuid", Flag.set(MS_NOSUID)),
            Map.entry("nosymfollow", Flag.set(MS_NOSYMFOLLOW)),
            Map.entry("rbind", Flag.set(MS_BIND | MS_REC)),
            Map.entry("relatime", Flag.set(MS_RELATIME)),
            Map.entry("remount", Flag.set(MS_REMOUNT)),
            Map.entry("ro", Flag.set(MS_RDONLY)),
            Map.entry("rw", Flag.clearing(MS_RDONLY)),
            Map.entry("silent", Flag.set(MS_SILENT)),
            Map.entry("strictatime", Flag.set(MS_STRICTATIME)),
            Map.entry("suid", Flag.clearing(MS_NOSUID)),
            Map.entry("symfollow", Flag.clearing(MS_NOSYMFOLLOW)),
            Map.entry("sync", Flag.set(MS_SYNCHRONOUS)));

    private static final Map<String, Flag> RECURSIVE = Map.ofEntries(
            Map.entry("rro", Flag.set(MOUNT_ATTR_RDONLY)),
            Map.entry("rrw", Flag.clearing(MOUNT_ATTR_RDONLY)),
            Map.entry("rnosuid", Flag.set(MOUNT_ATTR_NOSUID)),
            Map.entry("rsuid", Flag.clearing(MOUNT_ATTR_NOSUID)),
            Map.entry("rnodev", Flag.set(MOUNT_ATTR_NODEV)),
            Map.entry("rdev", Flag.clearing(MOUNT_ATTR_NODEV)),
            Map.entry("rnoexec", Flag.set(MOUNT_ATTR_NOEXEC)),
            Map.entry("rexec", Flag.clearing(MOUNT_ATTR_NOEXEC)),
            Map.entry("rnodiratime", Flag.set(MOUNT_ATTR_NODIRATIME)),
            Map.entry("rdiratime", Flag.clearing(MOUNT_ATTR_NODIRATIME)),
            Map.entry("rrelatime", Flag.set(MOUNT_ATTR_RELATIME)),
            Map.entry("rnorelatime", Flag.clearing(MOUNT_ATTR_RELATIME)),
            Map.entry("rnoatime", Flag.set(MOUNT_ATTR_NOATIME)),
            Map.entry("ratime", Flag.clearing(MOUNT_ATTR_NOATIME)),
            Map.entry("rstrictatime", Flag.set(MOUNT_ATTR_STRICTATIME)),
            Map.entry("rnostrictatime", Flag.clearing(MOUNT_ATTR_STRICTATIME)),
            Map.entry("rnosymfollow", Flag.set(MOUNT_ATTR_NOSYMFOLLOW)),
            Map.entry("rsymfollow", Flag.clearing(MOUNT_ATTR_NOSYMFOLLOW)));

    /** Options the runtime itself acts on, not the kernel. */
    private static final Set<String> EXTENSIONS = Set.of("tmpcopyup", "idmap", "ridmap");

    /**
     * Filesystem options without a value that common filesystems take (devpts, overlay, tmpfs,
     * cgroup v1 controllers ...). They go to the filesystem as data; the list only keeps a typo in
     * a VFS option ({@code nosiud}) from passing silently.
     */
    private static final Set<String> FILESYSTEM_FLAGS = Set.of(
            "newinstance", "userxattr", "volatile", "redirect_dir", "noswap", "inode64", "inode32",
            "nouuid", "acl", "noacl", "user_xattr", "nouser_xattr", "discard", "nodiscard", "barrier",
            "nobarrier", "dax", "ssd", "nossd", "allow_other", "default_permissions", "nolock", "hard",
            "soft", "intr", "nointr", "tcp", "udp", "nsdelegate", "memory_recursiveprot",
            "memory_localevents", "favordynmods", "none", "cpu", "cpuacct", "cpuset", "memory", "devices",
            "freezer", "net_cls", "net_prio", "blkio", "perf_event", "hugetlb", "pids", "rdma", "misc",
            "xino", "index", "metacopy");

    private Mounts() {
    }

    /** Parses a mount's options; for type {@code bind} the mount is a bind mount even without the option. */
    public static MountOptions parse(Mount mount) {
        MountOptions o = parse(mount.options());
        if ("bind".equals(mount.type()) && !o.bind()) {
            return new MountOptions(o.flags() | MS_BIND, o.clearFlags(), o.propagation(), o.recursiveSet(),
                    o.recursiveClear(), true, false, o.data(), o.tmpcopyup(), o.idmap(), o.recursiveIdmap());
        }
        return o;
    }

    /**
     * Parses options in order, later ones winning ({@code ro} then {@code rw} is read-write). The
     * last propagation option wins; {@code X-mount.*} options (for mount(8) helpers) are skipped;
     * {@code key=value} and unknown options become filesystem data.
     */
    public static MountOptions parse(List<String> options) {
        long flags = 0;
        long clear = 0;
        long propagation = 0;
        long recSet = 0;
        long recClear = 0;
        boolean tmpcopyup = false;
        boolean idmap = false;
        boolean ridmap = false;
        List<String> data = new ArrayList<>();
        for (String option : options) {
            Flag vfs = VFS.get(option);
            Flag rec = RECURSIVE.get(option);
            Optional<Long> prop = Propagation.find(option);
            if (option.startsWith("X-mount.")) {
                continue;
            } else if (vfs != null) {
                if (vfs.clear()) {
                    flags &= ~vfs.flag();
                    clear |= vfs.flag();
                } else {
                    flags |= vfs.flag();
                    clear &= ~vfs.flag();
                }
            } else if (rec != null) {
                if (rec.clear()) {
                    recClear |= rec.flag();
                    recSet &= ~rec.flag();
                } else {
                    recSet |= rec.flag();
                    recClear &= ~rec.flag();
                    if ((rec.flag() & MOUNT_ATTR__ATIME) == rec.flag()) {
                        // mount_setattr(2): an atime mode in attr_set needs MOUNT_ATTR__ATIME in attr_clr
                        recClear |= MOUNT_ATTR__ATIME;
                    }
                }
            } else if (prop.isPresent()) {
                propagation = prop.get();
            } else if (option.equals("tmpcopyup")) {
                tmpcopyup = true;
            } else if (option.equals("idmap")) {
                idmap = true;
            } else if (option.equals("ridmap")) {
                idmap = true;
                ridmap = true;
            } else {
                data.add(option);
            }
        }
        boolean bind = (flags & MS_BIND) != 0;
        boolean rbind = bind && (flags & MS_REC) != 0;
        return new MountOptions(flags, clear, propagation, recSet, recClear, bind, rbind, String.join(",", data),
                tmpcopyup, idmap, ridmap);
    }

    /**
     * Whether nido knows what {@code option} means: a VFS flag, a recursive attribute, a propagation,
     * a runtime extension, {@code X-mount.*}, {@code key=value} data or a known filesystem flag.
     */
    public static boolean isKnownOption(String option) {
        return VFS.containsKey(option) || RECURSIVE.containsKey(option) || Propagation.find(option).isPresent()
                || EXTENSIONS.contains(option) || option.startsWith("X-mount.") || option.indexOf('=') > 0
                || FILESYSTEM_FLAGS.contains(option);
    }

    /** The options nido interprets itself (not filesystem data), sorted: what {@code features} lists. */
    public static List<String> knownOptions() {
        Set<String> all = new TreeSet<>(VFS.keySet());
        all.addAll(RECURSIVE.keySet());
        all.addAll(Propagation.names());
        all.addAll(EXTENSIONS);
        return List.copyOf(all);
    }

    /**
     * A mount destination made absolute and clean: {@code "dev/shm"} becomes {@code "/dev/shm"},
     * {@code "/a/./b//c/../d"} becomes {@code "/a/b/d"}. Empty when a {@code ..} would climb above
     * the container's root ({@code "/../etc"}).
     */
    public static Optional<String> normalizeDestination(String destination) {
        Deque<String> parts = new ArrayDeque<>();
        for (String part : destination.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (parts.isEmpty()) {
                    return Optional.empty();
                }
                parts.removeLast();
            } else {
                parts.addLast(part);
            }
        }
        return Optional.of("/" + String.join("/", parts));
    }
}
