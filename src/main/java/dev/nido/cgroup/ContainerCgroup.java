package dev.nido.cgroup;

import dev.nido.cgroup.v2.DeviceProgram;
import dev.nido.linux.Fd;
import dev.nido.linux.LinuxException;
import dev.nido.linux.Syscalls;
import dev.nido.oci.DeviceCgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The cgroup of one container in every hierarchy of the host: created (only the directories
 * that did not exist are recorded as ours), joined by the container's processes, listed,
 * signalled, and removed; resource writes planned by {@link ResourcePlanner} are applied to it
 * (with rollback), and it is frozen, thawed and asked for statistics.
 */
public final class ContainerCgroup {
    private final Syscalls sys;
    private final String path;
    private final List<Path> dirs;
    private CgroupLayout layout;
    private List<Path> created = List.of();

    private ContainerCgroup(Syscalls sys, String path, List<Path> dirs, CgroupLayout layout) {
        this.sys = sys;
        this.path = path;
        this.dirs = List.copyOf(dirs);
        this.layout = layout;
    }

    /**
     * The cgroup at {@code cgroupsPath} (absolute, or relative to each hierarchy's root) in every
     * writable hierarchy of the layout.
     */
    public static ContainerCgroup of(Syscalls sys, CgroupLayout layout, String cgroupsPath) {
        String rel = normalise(cgroupsPath);
        List<Path> dirs = new ArrayList<>();
        for (Hierarchy h : layout.hierarchies()) {
            dirs.add(h.mountPoint().resolve(rel));
        }
        return new ContainerCgroup(sys, "/" + rel, dirs, layout);
    }

    /**
     * A cgroup whose directories are already known (from a container's state). The layout, needed
     * to find each controller's directory, is detected from this process's mounts when first needed.
     */
    public static ContainerCgroup ofDirs(Syscalls sys, String path, List<Path> dirs) {
        return new ContainerCgroup(sys, path, dirs, null);
    }

    /** As {@link #ofDirs(Syscalls, String, List)} with the layout given. */
    public static ContainerCgroup ofDirs(Syscalls sys, CgroupLayout layout, String path, List<Path> dirs) {
        return new ContainerCgroup(sys, path, dirs, layout);
    }

    /**
     * Records the directories nido created for this cgroup (from state, after a reopen), so that
     * {@link #enableControllers} may write their cgroup.subtree_control.
     */
    public ContainerCgroup withCreated(List<Path> ours) {
        this.created = List.copyOf(ours);
        return this;
    }

    synchronized CgroupLayout layout() {
        if (layout == null) {
            layout = CgroupLayout.detect();
        }
        return layout;
    }

    /**
     * The container's directory for {@code controller}: its dir under the hierarchy that serves
     * the controller; "cgroup" names the v2 directory.
     */
    public Path dirOf(String controller) {
        Hierarchy h = layout().home(controller).orElseThrow(() -> new CgroupException(
                "controller " + controller + " is not available on this host"));
        int depth = Path.of(path.substring(1)).getNameCount();
        for (Path d : dirs) {
            if (d.startsWith(h.mountPoint()) && d.getNameCount() - h.mountPoint().getNameCount() == depth) {
                return d;
            }
        }
        throw new CgroupException("cgroup " + path + " has no directory in " + h.mountPoint()
                + " (the " + controller + " hierarchy); was it created with this host's layout?");
    }

    /**
     * Applies the writes in order. On the first failure, everything this call already changed is
     * put back as it was (each file is read before it is written) and the error names the file,
     * the value and the errno: nothing is left half-applied. Controllers on v2 are first enabled in
     * the parents' cgroup.subtree_control ({@link #enableControllers}).
     */
    public void apply(List<CgroupWrite> writes) {
        Set<String> v2 = new LinkedHashSet<>();
        for (CgroupWrite w : writes) {
            if (!w.controller().equals("cgroup") && layout().home(w.controller()).map(Hierarchy::v2).orElse(false)) {
                v2.add(w.controller());
            }
        }
        enableControllers(v2);
        new CgroupUpdate(sys, this::dirOf).apply(writes);
    }

    /**
     * {@code linux.resources.devices} where no v1 devices hierarchy serves it: on cgroup v2 the
     * device controller is an eBPF program attached to the container's v2 directory, not files
     * ({@link ResourcePlanner} plans the v1 writes and leaves this case to here). Call it after
     * {@link #create} and {@link #apply}, before the container's process runs anything. Returns
     * whether a program was attached: false when there are no rules, when the v1 devices
     * controller is in charge (it then got its devices.allow/deny writes), or without cgroup v2.
     */
    public boolean applyDevicePolicy(List<DeviceCgroup> rules) {
        if (rules.isEmpty() || layout().controllerHome("devices").filter("v1"::equals).isPresent()
                || layout().v2().isEmpty()) {
            return false;
        }
        attachDeviceProgram(rules);
        return true;
    }

    /**
     * Generates the device program for {@code rules} ({@link DeviceProgram}) and attaches it to
     * this cgroup's v2 directory whatever the v1 devices controller does (on a hybrid host both
     * then apply: an access must pass both; tests use this to exercise the v2 path there). The
     * program lives as long as the cgroup; its fd is closed here. Attached with
     * BPF_F_ALLOW_MULTI, so a second call adds a program rather than replacing the first.
     */
    public void attachDeviceProgram(List<DeviceCgroup> rules) {
        Path dir = dirOf("cgroup");
        byte[] program;
        try {
            program = DeviceProgram.generate(rules);
        } catch (IllegalArgumentException e) {
            throw new CgroupException("linux.resources.devices: " + e.getMessage(), e);
        }
        Fd prog;
        try {
            prog = sys.loadCgroupDeviceProgram(program, DeviceProgram.LICENSE);
        } catch (LinuxException e) {
            throw new CgroupException("linux.resources.devices: load device program: " + e.getMessage(), e);
        }
        try {
            sys.attachCgroupDeviceProgram(prog, dir);
        } catch (LinuxException e) {
            throw new CgroupException("linux.resources.devices: attach device program to " + dir + ": "
                    + e.getMessage(), e);
        } finally {
            sys.close(prog);
        }
    }

    /**
     * Enables v2 controllers for this cgroup: each one missing from the cgroup.subtree_control of
     * an ancestor (from the hierarchy root down to the parent) is added there, but only in
     * directories nido created; an ancestor nido did not create (the root too: it is the host's)
     * must already have it, or the error says how to enable it.
     */
    public void enableControllers(Set<String> controllers) {
        if (controllers.isEmpty()) {
            return;
        }
        Path leaf = dirOf("cgroup");
        Path root = layout().v2().orElseThrow().mountPoint();
        List<Path> chain = new ArrayList<>();
        for (Path p = leaf.getParent(); p != null && p.startsWith(root); p = p.getParent()) {
            chain.addFirst(p);
        }
        for (Path p : chain) {
            enableIn(p, controllers, created.contains(p));
        }
    }

    private void enableIn(Path dir, Set<String> controllers, boolean mayWrite) {
        Path file = dir.resolve("cgroup.subtree_control");
        Set<String> have = Set.of(read(file).strip().split("\\s+"));
        List<String> missing = controllers.stream().filter(c -> !have.contains(c)).sorted().toList();
        if (missing.isEmpty()) {
            return;
        }
        String value = String.join(" ", missing.stream().map(c -> "+" + c).toList());
        if (!mayWrite) {
            throw new CgroupException("controller " + String.join(", ", missing) + " is not enabled in " + file
                    + ", a cgroup nido did not create (enable it there with echo '" + value + "' > " + file
                    + ", or use a cgroupsPath under a parent that has it)");
        }
        try {
            sys.writeFile(file, value);
        } catch (LinuxException e) {
            throw new CgroupException("enable controllers: write \"" + value + "\" to " + file + ": "
                    + dev.nido.linux.Errno.describe(e.errno())
                    + (e.errno() == 16 ? " (a cgroup with processes cannot give controllers to children: the no-internal-process rule)" : ""), e);
        }
    }

    /** Freezes every process of the cgroup and waits until the kernel reports the freeze complete. */
    public void freeze() {
        Freezer.of(this).freeze();
    }

    /** Thaws the cgroup. */
    public void thaw() {
        Freezer.of(this).thaw();
    }

    /** Whether the cgroup is frozen (a freeze still in progress is not frozen). */
    public boolean frozen() {
        return Freezer.of(this).frozen();
    }

    /** Statistics in the shape of runc's {@code events --stats} data: cpu, memory, pids, from whatever files exist. */
    public Map<String, Object> stats() {
        return CgroupStats.of(this);
    }

    Syscalls sys() {
        return sys;
    }

    /** A reader of the files in the container's directory for {@code controller} (empty when unreadable). */
    java.util.function.Function<String, Optional<String>> reader(String controller) {
        Path dir = dirOf(controller);
        return f -> readOptional(dir.resolve(f));
    }

    static Optional<String> readOptional(Path p) {
        try {
            return Optional.of(dev.nido.linux.ProcFiles.read(p));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static String normalise(String cgroupsPath) {
        String p = cgroupsPath.strip();
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        if (p.isEmpty() || Path.of(p).normalize().startsWith("..") || p.contains(":")) {
            throw new CgroupException("linux.cgroupsPath: \"" + cgroupsPath
                    + "\" is not a cgroupfs path (expected /parent/name; systemd slice:prefix:name paths need --systemd-cgroup, which nido does not support)");
        }
        return Path.of(p).normalize().toString();
    }

    public String path() {
        return path;
    }

    public List<Path> dirs() {
        return dirs;
    }

    /**
     * Creates every missing directory (parents first). Returns the directories this call
     * created, deepest last; they are the only ones {@link #remove} may delete.
     */
    public List<Path> create() {
        List<Path> created = new ArrayList<>();
        this.created = created;
        try {
            for (Path d : dirs) {
                createDir(d, created);
            }
        } catch (RuntimeException e) {
            removeDirs(created);
            throw e;
        }
        return created;
    }

    private void createDir(Path d, List<Path> created) {
        Path root = hierarchyRoot(d);
        List<Path> chain = new ArrayList<>();
        for (Path p = d; p != null && !p.equals(root); p = p.getParent()) {
            chain.addFirst(p);
        }
        for (Path p : chain) {
            try {
                if (sys.mkdir(p, 0755)) {
                    created.add(p);
                    inheritCpuset(p);
                }
            } catch (LinuxException e) {
                throw new CgroupException("create cgroup " + p + ": " + e.getMessage(), e);
            }
        }
    }

    private Path hierarchyRoot(Path d) {
        Path rel = Path.of(path.substring(1));
        Path root = d;
        for (int i = 0; i < rel.getNameCount(); i++) {
            root = root.getParent();
        }
        return root;
    }

    /** cgroup v1 cpuset: a new cgroup starts with no cpus or mems and refuses tasks until given some. */
    private void inheritCpuset(Path p) {
        for (String f : List.of("cpuset.cpus", "cpuset.mems")) {
            Path file = p.resolve(f);
            if (!Files.exists(file) || !read(file).isBlank()) {
                continue;
            }
            sys.writeFile(file, read(p.getParent().resolve(f)).strip());
        }
    }

    /** Moves a process into the container's cgroup in every hierarchy. */
    public void attach(int pid) {
        for (Path d : dirs) {
            Path procs = d.resolve("cgroup.procs");
            try {
                sys.writeFile(procs, Integer.toString(pid));
            } catch (LinuxException e) {
                throw new CgroupException("add process " + pid + " to " + procs + ": " + e.getMessage(), e);
            }
        }
    }

    /** The pids in the cgroup (from the first hierarchy that has it), sorted. */
    public List<Integer> pids() {
        Set<Integer> out = new LinkedHashSet<>();
        for (Path d : dirs) {
            Path procs = d.resolve("cgroup.procs");
            if (Files.exists(procs)) {
                for (String l : read(procs).split("\n")) {
                    if (!l.isBlank()) {
                        out.add(Integer.parseInt(l.strip()));
                    }
                }
                break;
            }
        }
        return out.stream().sorted().toList();
    }

    /** Sends a signal to every process in the cgroup; returns how many were signalled. */
    public int signalAll(int signal) {
        int n = 0;
        for (int pid : pids()) {
            try {
                sys.kill(pid, signal);
                n++;
            } catch (LinuxException e) {
                // ESRCH: it exited between the listing and the kill.
            }
        }
        return n;
    }

    /**
     * Kills what is left in the cgroup and removes the given directories (deepest first),
     * retrying while the kernel still counts exiting tasks. Directories not in {@code ours}
     * are never removed.
     */
    public void remove(List<Path> ours) {
        for (int attempt = 0; attempt < 100 && !pids().isEmpty(); attempt++) {
            signalAll(9);
            sleep(attempt < 10 ? 1 : 10);
        }
        removeDirs(ours);
    }

    private void removeDirs(List<Path> ours) {
        List<Path> order = new ArrayList<>(ours);
        order.sort((a, b) -> b.getNameCount() - a.getNameCount());
        List<String> failed = new ArrayList<>();
        for (Path p : order) {
            if (dirs.contains(p)) {
                if (!rmdirWithRetry(p)) {
                    failed.add(p.toString());
                }
            } else {
                rmdirParent(p);
            }
        }
        if (!failed.isEmpty()) {
            throw new CgroupException("remove cgroup " + String.join(", ", failed) + ": still busy after 2 s");
        }
    }

    /** A parent we created is removed only when no other container still uses it. */
    private void rmdirParent(Path p) {
        try {
            sys.rmdir(p);
        } catch (LinuxException e) {
            // EBUSY / ENOTEMPTY: another container's cgroup lives under it; ENOENT: gone already.
        }
    }

    private boolean rmdirWithRetry(Path p) {
        for (int attempt = 0; attempt < 200; attempt++) {
            try {
                sys.rmdir(p);
                return true;
            } catch (LinuxException e) {
                if (e.errno() == 2) { // ENOENT: already gone
                    return true;
                }
                if (e.errno() != 16) { // only EBUSY is worth waiting for
                    return false;
                }
                sleep(10);
            }
        }
        return false;
    }

    private static String read(Path p) {
        try {
            return dev.nido.linux.ProcFiles.read(p);
        } catch (IOException e) {
            return "";
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
