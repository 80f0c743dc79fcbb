package dev.nido.runtime.plan;

import dev.nido.oci.Hook;
import dev.nido.oci.MountOptions;
import dev.nido.oci.Mounts;
import dev.nido.oci.Propagation;
import dev.nido.oci.RuntimeSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one place where a runtime-spec becomes a {@link LaunchPlan}: which namespaces to create
 * or join, every mount with its flags, devices, the root change, credentials, limits and the
 * final exec. The spec has already been validated ({@code dev.nido.oci.SpecValidator}).
 */
public final class PlanBuilder {
    static final long MS_RDONLY = 1, MS_NOSUID = 2, MS_NODEV = 4, MS_NOEXEC = 8, MS_BIND = 4096, MS_REC = 16384,
            MS_PRIVATE = 1 << 18, MS_SLAVE = 1 << 19, MS_STRICTATIME = 1 << 24;

    private final RuntimeSpec spec;
    private final Path bundle;
    private final LaunchOptions opts;
    private final List<PlanStep> steps = new ArrayList<>();
    /** The id-mapped trees the helper makes before the clone, in MOVE_TREE index order. */
    private final List<PlanStep.IdmapTree> trees = new ArrayList<>();

    private PlanBuilder(RuntimeSpec spec, Path bundle, LaunchOptions opts) {
        this.spec = spec;
        this.bundle = bundle;
        this.opts = opts;
    }

    /** The plan for a new container (create, run). */
    public static LaunchPlan container(RuntimeSpec spec, Path bundle, LaunchOptions opts) {
        return new PlanBuilder(spec, bundle, opts).buildContainer();
    }

    /** The absolute rootfs directory of a spec. */
    public static Path rootfs(RuntimeSpec spec, Path bundle) {
        Path p = Path.of(spec.root().path());
        return (p.isAbsolute() ? p : bundle.resolve(p)).normalize();
    }

    private LaunchPlan buildContainer() {
        steps.add(new PlanStep.Mode(opts.detach() ? PlanStep.Mode.DETACH : PlanStep.Mode.MONITOR));
        if (opts.monitor() != null) {
            steps.add(opts.monitor()); // host paths: before any namespace is joined
        }
        ProcessSteps.listener(opts, steps);
        int treesAt = steps.size(); // before any join: only the initial user namespace may id-map ext4 & co
        Set<Namespace> fresh = parentSteps();
        if (opts.relayConsole()) {
            steps.add(new PlanStep.ConsoleRelay());
        }
        long flags = 0;
        for (Namespace n : fresh) {
            flags |= n == Namespace.TIME ? 0 : n.cloneFlag();
        }
        steps.add(new PlanStep.Clone(flags));
        steps.add(new PlanStep.WaitGo());
        if (fresh.contains(Namespace.USER)) {
            // Until it changes ids, the child runs as the runtime's (unmapped) uid: become the
            // namespace's root, keeping every capability it has there, before touching files.
            long all = opts.lastCap() >= 63 ? -1L : (1L << (opts.lastCap() + 1)) - 1;
            steps.add(new PlanStep.User(0, 0, List.of(), opts.lastCap(), all, all, all, 0, 0));
        }
        childSteps(fresh);
        steps.addAll(treesAt, trees);
        return new LaunchPlan(steps);
    }

    /** Registers an id-mapped tree and returns its MOVE_TREE index. */
    private int tree(String source, boolean recursive, List<dev.nido.oci.IdMapping> uids,
                     List<dev.nido.oci.IdMapping> gids, long attrs) {
        trees.add(new PlanStep.IdmapTree(source, recursive, mapText(uids), mapText(gids), attrs));
        return trees.size() - 1;
    }

    /** Id maps in the text /proc/PID/uid_map takes: "inside outside count" lines. */
    public static String mapText(List<dev.nido.oci.IdMapping> maps) {
        StringBuilder s = new StringBuilder();
        for (dev.nido.oci.IdMapping m : nonNull(maps)) {
            s.append(m.containerID()).append(' ').append(m.hostID()).append(' ').append(m.size()).append('\n');
        }
        return s.toString();
    }

    /** Joins namespaces given by path; returns the namespaces to create. */
    private Set<Namespace> parentSteps() {
        Set<Namespace> fresh = EnumSet.noneOf(Namespace.class);
        List<PlanStep> joins = new ArrayList<>();
        for (Namespace n : Namespace.values()) {
            for (dev.nido.oci.Namespace s : nonNull(spec.linux().namespaces())) {
                if (n.specName().equals(s.type())) {
                    if (s.path() == null || s.path().isEmpty()) {
                        fresh.add(n);
                    } else {
                        joins.add(new PlanStep.JoinNamespace(n, s.path()));
                    }
                }
            }
        }
        steps.addAll(joins);
        if (fresh.contains(Namespace.TIME)) {
            // CLONE_NEWTIME is not a clone(2) flag: unshare it in the helper, whose children enter it.
            steps.add(new PlanStep.Unshare(Namespace.TIME.cloneFlag()));
            String offsets = timeOffsets();
            if (!offsets.isEmpty()) {
                steps.add(new PlanStep.WriteFile("/proc/self/timens_offsets", offsets, false));
            }
        }
        return fresh;
    }

    private String timeOffsets() {
        Map<String, dev.nido.oci.TimeOffset> t = spec.linux().timeOffsets();
        if (t == null) {
            return "";
        }
        StringBuilder s = new StringBuilder();
        t.forEach((clock, off) -> s.append(clock).append(' ').append(nz(off.secs())).append(' ')
                .append(nz(off.nanosecs())).append('\n'));
        return s.toString();
    }

    private void childSteps(Set<Namespace> fresh) {
        Path rootfs = rootfs(spec, bundle);
        if (fresh.contains(Namespace.UTS)) {
            if (spec.hostname() != null && !spec.hostname().isEmpty()) {
                steps.add(new PlanStep.SetHostname(spec.hostname()));
            }
            if (spec.domainname() != null && !spec.domainname().isEmpty()) {
                steps.add(new PlanStep.SetDomainname(spec.domainname()));
            }
        }
        if (opts.execFifo() != null) {
            steps.add(new PlanStep.OpenFifo(opts.execFifo().toString()));
        }
        boolean newMountNs = fresh.contains(Namespace.MOUNT);
        if (newMountNs) {
            steps.add(new PlanStep.Rootfs(rootfs.toString()));
            rootfsSetup(rootfs, fresh.contains(Namespace.USER));
        }
        hooks("createContainer", spec.hooks() == null ? null : spec.hooks().createContainer(), steps);
        if (newMountNs) {
            steps.add(opts.noPivot() ? new PlanStep.Chroot() : new PlanStep.PivotRoot());
            afterRootChange();
        }
        processSteps();
    }

    private void rootfsSetup(Path rootfs, boolean userNs) {
        long prop = spec.linux().rootfsPropagation() == null || spec.linux().rootfsPropagation().isEmpty()
                ? MS_SLAVE | MS_REC : Propagation.parse(spec.linux().rootfsPropagation());
        steps.add(new PlanStep.Mount("", "/", "", prop, "", 0));
        // pivot_root(2): new_root must be a mount point.
        if (opts.idmapRootfs()) {
            int t = tree(rootfs.toString(), true, spec.linux().uidMappings(), spec.linux().gidMappings(), 0);
            steps.add(new PlanStep.MoveTree(t, rootfs.toString(), 0));
        } else {
            steps.add(new PlanStep.Mount(rootfs.toString(), rootfs.toString(), "", MS_BIND | MS_REC, "", 0));
        }
        boolean devMounted = false;
        for (dev.nido.oci.Mount m : nonNull(spec.mounts())) {
            devMounted |= "/dev".equals(m.destination());
            mount(m);
        }
        if (!hasBindMountAt("/dev")) {
            devices(userNs, devMounted);
        }
    }

    private boolean hasBindMountAt(String dest) {
        for (dev.nido.oci.Mount m : nonNull(spec.mounts())) {
            if (dest.equals(m.destination()) && Mounts.parse(m).bind()) {
                return true;
            }
        }
        return false;
    }

    private void mount(dev.nido.oci.Mount m) {
        String dest = m.destination();
        MountOptions o = Mounts.parse(m);
        String type = m.type() == null ? "" : m.type();
        if ("cgroup".equals(type) && !opts.cgroupMounts().isEmpty()) {
            cgroupV1Mount(dest, o);
            return;
        }
        if ("cgroup".equals(type) && opts.hostCgroupView()) {
            steps.add(new PlanStep.Mount("/sys/fs/cgroup", dest, "", MS_BIND | MS_REC | MS_RDONLY | MS_NOSUID
                    | MS_NODEV | MS_NOEXEC, "", PlanStep.Mount.IN_ROOT | PlanStep.Mount.MKDIR));
            return;
        }
        if ("cgroup".equals(type)) {
            type = "cgroup2"; // a v2 host: the unified hierarchy, seen through the cgroup namespace
        }
        long flags = o.flags();
        String source = m.source() == null ? "" : m.source();
        int tflags = PlanStep.Mount.IN_ROOT | PlanStep.Mount.MKDIR;
        if (o.bind()) {
            Path src = Path.of(source);
            source = (src.isAbsolute() ? src : bundle.resolve(src)).normalize().toString();
            flags |= MS_BIND | (o.recursiveBind() ? MS_REC : 0);
            if (!Files.isDirectory(Path.of(source))) {
                tflags = PlanStep.Mount.IN_ROOT | PlanStep.Mount.MKFILE;
            }
            if (o.idmap() || !nonNull(m.uidMappings()).isEmpty()) {
                // MOUNT_ATTR_RDONLY/NOSUID/NODEV/NOEXEC have the values of the MS_ flags
                long attrs = flags & (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC);
                int t = tree(source, o.recursiveBind() || o.recursiveIdmap(), m.uidMappings(), m.gidMappings(), attrs);
                steps.add(new PlanStep.MoveTree(t, dest, tflags));
                if (o.propagation() != 0) {
                    steps.add(new PlanStep.Mount("", dest, "", o.propagation(), "", PlanStep.Mount.IN_ROOT));
                }
                return;
            }
        } else if (source.isEmpty()) {
            source = type;
        }
        steps.add(new PlanStep.Mount(source, dest, o.bind() ? "" : type, flags, labelled(o.data(), type, o.bind()),
                tflags));
        if (o.propagation() != 0) {
            steps.add(new PlanStep.Mount("", dest, "", o.propagation(), "", PlanStep.Mount.IN_ROOT));
        }
    }

    /** SELinux: file systems made for the container carry linux.mountLabel (a context= option). */
    private String labelled(String data, String type, boolean bind) {
        String label = spec.linux().mountLabel();
        if (label == null || label.isEmpty() || bind || !List.of("tmpfs", "devpts", "mqueue").contains(type)) {
            return data;
        }
        String context = "context=\"" + label + "\"";
        return data == null || data.isEmpty() ? context : data + "," + context;
    }

    /** On a cgroup v1 host: a tmpfs with each hierarchy's container cgroup bound under it. */
    private void cgroupV1Mount(String dest, MountOptions o) {
        long common = MS_NOSUID | MS_NODEV | MS_NOEXEC;
        steps.add(new PlanStep.Mount("tmpfs", dest, "tmpfs", common, "mode=755",
                PlanStep.Mount.IN_ROOT | PlanStep.Mount.MKDIR));
        for (LaunchOptions.CgroupMount c : opts.cgroupMounts()) {
            steps.add(new PlanStep.Mount(c.hostDir().toString(), dest + "/" + c.name(), "",
                    MS_BIND | MS_REC | common | (o.flags() & MS_RDONLY), "",
                    PlanStep.Mount.IN_ROOT | PlanStep.Mount.MKDIR));
        }
    }

    private void devices(boolean userNs, boolean devMounted) {
        List<Dev> devs = new ArrayList<>(Dev.DEFAULTS);
        for (dev.nido.oci.Device d : nonNull(spec.linux().devices())) {
            devs.removeIf(x -> x.path.equals(d.path()));
            devs.add(Dev.of(d));
        }
        for (Dev d : devs) {
            if (userNs) {
                // mknod(2) is refused in a user namespace: bind the host's node instead.
                steps.add(new PlanStep.Mount(d.path, d.path, "", MS_BIND, "",
                        PlanStep.Mount.IN_ROOT | PlanStep.Mount.MKFILE));
            } else {
                steps.add(new PlanStep.Mknod(d.path, d.mode, Devices.makedev(d.major, d.minor), d.uid, d.gid));
            }
        }
        if (devMounted) {
            steps.add(new PlanStep.Symlink("/proc/self/fd", "/dev/fd"));
            steps.add(new PlanStep.Symlink("/proc/self/fd/0", "/dev/stdin"));
            steps.add(new PlanStep.Symlink("/proc/self/fd/1", "/dev/stdout"));
            steps.add(new PlanStep.Symlink("/proc/self/fd/2", "/dev/stderr"));
            steps.add(new PlanStep.Symlink("/proc/kcore", "/dev/core"));
            steps.add(new PlanStep.Symlink("pts/ptmx", "/dev/ptmx"));
        }
    }

    private void afterRootChange() {
        // sysctls first: /proc/sys is usually among the read-only paths
        if (spec.linux().sysctl() != null) {
            spec.linux().sysctl().forEach((k, v) ->
                    steps.add(new PlanStep.WriteFile("/proc/sys/" + k.replace('.', '/'), v, true)));
        }
        for (String p : nonNull(spec.linux().maskedPaths())) {
            steps.add(new PlanStep.MaskPath(p));
        }
        for (String p : nonNull(spec.linux().readonlyPaths())) {
            steps.add(new PlanStep.ReadonlyPath(p));
        }
        for (dev.nido.oci.Mount m : nonNull(spec.mounts())) {
            if ("cgroup".equals(m.type()) && !opts.cgroupMounts().isEmpty()
                    && (Mounts.parse(m).flags() & MS_RDONLY) != 0) {
                steps.add(new PlanStep.RemountReadonly(m.destination()));
            }
        }
        if (Boolean.TRUE.equals(spec.root().readonly())) {
            steps.add(new PlanStep.RemountReadonly("/"));
        }
    }

    private void processSteps() {
        dev.nido.oci.Process p = spec.process();
        ProcessSteps.rlimits(p, steps);
        if (p.oomScoreAdj() != null) {
            steps.add(new PlanStep.OomScoreAdj(p.oomScoreAdj()));
        }
        var user = p.user();
        long umask = user == null || user.umask() == null ? 022 : user.umask();
        steps.add(new PlanStep.Umask((int) umask));
        if (Boolean.TRUE.equals(p.terminal()) && opts.consoleFd() >= 0) {
            steps.add(new PlanStep.Setsid());
            steps.add(new PlanStep.Console(opts.consoleFd()));
            // runtime-spec (config-linux, /dev/console): the container's pty, now fd 0, bound on /dev/console,
            // where an init (sysvinit, systemd) writes its messages
            steps.add(new PlanStep.Mount("/proc/self/fd/0", "/dev/console", "", MS_BIND, "",
                    PlanStep.Mount.IN_ROOT | PlanStep.Mount.MKFILE));
        }
        steps.add(new PlanStep.Chdir(p.cwd() == null || p.cwd().isEmpty() ? "/" : p.cwd()));
        List<PlanStep> gate = new ArrayList<>();
        gate.add(new PlanStep.Ready());
        if (opts.execFifo() != null) {
            gate.add(new PlanStep.WaitFifo());
        }
        hooks("startContainer", spec.hooks() == null ? null : spec.hooks().startContainer(), gate);
        ProcessSteps.credentialsToExec(p, opts, steps, gate);
    }

    private static void hooks(String kind, List<Hook> hooks, List<PlanStep> into) {
        for (Hook h : nonNull(hooks)) {
            List<String> args = h.args() == null || h.args().isEmpty() ? List.of(h.path()) : h.args();
            into.add(new PlanStep.RunHook(kind, h.path(), args, nonNull(h.env()),
                    h.timeout() == null ? 0 : h.timeout(), ""));
        }
    }

    static <T> List<T> nonNull(List<T> l) {
        return l == null ? List.of() : l;
    }

    static long nz(Long v) {
        return v == null ? 0 : v;
    }

    /** A device node to create in /dev. */
    private record Dev(String path, int mode, long major, long minor, int uid, int gid) {
        static final int S_IFCHR = 0020000, S_IFBLK = 0060000, S_IFIFO = 0010000;
        static final List<Dev> DEFAULTS = List.of(
                new Dev("/dev/null", S_IFCHR | 0666, 1, 3, 0, 0),
                new Dev("/dev/zero", S_IFCHR | 0666, 1, 5, 0, 0),
                new Dev("/dev/full", S_IFCHR | 0666, 1, 7, 0, 0),
                new Dev("/dev/random", S_IFCHR | 0666, 1, 8, 0, 0),
                new Dev("/dev/urandom", S_IFCHR | 0666, 1, 9, 0, 0),
                new Dev("/dev/tty", S_IFCHR | 0666, 5, 0, 0, 0));

        static Dev of(dev.nido.oci.Device d) {
            int kind = switch (d.type()) {
                case "b" -> S_IFBLK;
                case "p" -> S_IFIFO;
                default -> S_IFCHR;
            };
            int perm = d.fileMode() == null ? 0666 : d.fileMode() & 07777;
            return new Dev(d.path(), kind | perm, nz(d.major()), nz(d.minor()),
                    (int) nz(d.uid()), (int) nz(d.gid()));
        }
    }
}
