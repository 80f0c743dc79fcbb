package dev.nido.cgroup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A cgroup tree made of plain files in a temporary directory, with the mountinfo lines that
 * point at it: {@link #hybrid} is this project's reference host (v1 controllers, hugetlb in the
 * cgroup2 mount), {@link #v2} the usual pure-v2 host.
 */
final class FakeCgroupTree {
    final Path root;
    final CgroupLayout layout;

    private FakeCgroupTree(Path root, List<String> mountinfo) {
        this.root = root;
        this.layout = CgroupLayout.parse(mountinfo).withV2Controllers();
    }

    static FakeCgroupTree hybrid(Path tmp) {
        List<String> lines = new ArrayList<>();
        int id = 32;
        for (String c : List.of("cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "blkio", "pids", "net_cls",
                "net_prio")) {
            lines.add(id++ + " 31 0:" + id + " / " + tmp.resolve(c) + " rw,relatime - cgroup cgroup rw," + c);
            mkdir(tmp.resolve(c));
        }
        lines.add("50 31 0:50 / " + tmp.resolve("unified") + " rw,relatime - cgroup2 cgroup2 rw");
        mkdir(tmp.resolve("unified"));
        write(tmp.resolve("unified/cgroup.controllers"), "hugetlb\n");
        write(tmp.resolve("unified/cgroup.subtree_control"), "\n");
        write(tmp.resolve("memory/memory.memsw.limit_in_bytes"), "9223372036854771712\n");
        write(tmp.resolve("cpu/cpu.cfs_burst_us"), "0\n");
        write(tmp.resolve("cpu/cpu.rt_period_us"), "1000000\n");
        write(tmp.resolve("cpu/cpu.rt_runtime_us"), "950000\n");
        write(tmp.resolve("cpu/cpu.idle"), "0\n");
        write(tmp.resolve("blkio/blkio.weight"), "500\n");
        write(tmp.resolve("blkio/blkio.leaf_weight"), "500\n");
        write(tmp.resolve("cpuset/cpuset.cpus"), "0-1\n");
        write(tmp.resolve("cpuset/cpuset.mems"), "0\n");
        return new FakeCgroupTree(tmp, lines);
    }

    static FakeCgroupTree v2(Path tmp) {
        mkdir(tmp);
        write(tmp.resolve("cgroup.controllers"), "cpuset cpu io memory hugetlb pids rdma misc\n");
        write(tmp.resolve("cgroup.subtree_control"), "cpuset cpu io memory pids\n");
        write(tmp.resolve("cpuset.cpus.effective"), "0-3\n");
        write(tmp.resolve("cpuset.mems.effective"), "0\n");
        return new FakeCgroupTree(tmp, List.of("30 23 0:26 / " + tmp + " rw,nosuid - cgroup2 cgroup2 rw,nsdelegate"));
    }

    HostFacts facts() {
        return HostFacts.probe(layout, root.resolve("no-sysfs"));
    }

    /** Creates the container's directory in {@code hierarchy} with the given "file=value" defaults. */
    Path container(String hierarchy, String rel, String... files) {
        Path d = root.resolve(hierarchy).resolve(rel);
        mkdir(d);
        for (String f : files) {
            int eq = f.indexOf('=');
            write(d.resolve(f.substring(0, eq)), f.substring(eq + 1));
        }
        return d;
    }

    static void mkdir(Path p) {
        try {
            Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path p, String s) {
        try {
            Files.createDirectories(p.getParent());
            Files.writeString(p, s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
