package dev.nido.cgroup;

import dev.nido.linux.LinuxException;
import dev.nido.linux.Syscalls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The cgroup of one container in every hierarchy of the host: created (only the directories
 * that did not exist are recorded as ours), joined by the container's processes, listed,
 * signalled, and removed. Resource limits are applied elsewhere; this class only places.
 */
public final class ContainerCgroup {
    private final Syscalls sys;
    private final String path;
    private final List<Path> dirs;

    private ContainerCgroup(Syscalls sys, String path, List<Path> dirs) {
        this.sys = sys;
        this.path = path;
        this.dirs = List.copyOf(dirs);
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
        return new ContainerCgroup(sys, "/" + rel, dirs);
    }

    /** A cgroup whose directories are already known (from a container's state). */
    public static ContainerCgroup ofDirs(Syscalls sys, String path, List<Path> dirs) {
        return new ContainerCgroup(sys, path, dirs);
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
