package dev.nido.cgroup;

import dev.nido.linux.ProcFiles;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the planner checks values against, probed once from the cgroup roots: the CPUs and memory
 * nodes cgroups may use and the huge page sizes. A null list means "unknown, do not check".
 *
 * @param cpus          the CPU list of the root cpuset ("0-1"), or null
 * @param mems          the memory node list of the root cpuset ("0"), or null
 * @param hugePageSizes page sizes in the kernel's cgroup spelling ("2MB", "1GB")
 */
public record HostFacts(String cpus, String mems, Set<String> hugePageSizes) {
    private static final Pattern V1_HUGETLB = Pattern.compile("hugetlb\\.(\\w+)\\.limit_in_bytes");
    private static final Pattern SYSFS_HUGEPAGES = Pattern.compile("hugepages-(\\d+)kB");

    public HostFacts {
        hugePageSizes = Set.copyOf(hugePageSizes);
    }

    public static HostFacts probe(CgroupLayout layout) {
        return probe(layout, Path.of("/sys/kernel/mm/hugepages"));
    }

    static HostFacts probe(CgroupLayout layout, Path sysHugepages) {
        Optional<Hierarchy> cpuset = layout.home("cpuset");
        String suffix = cpuset.map(h -> h.v2() ? ".effective" : "").orElse("");
        String cpus = cpuset.flatMap(h -> read(h.mountPoint().resolve("cpuset.cpus" + suffix))).orElse(null);
        String mems = cpuset.flatMap(h -> read(h.mountPoint().resolve("cpuset.mems" + suffix))).orElse(null);
        Set<String> sizes = new TreeSet<>();
        layout.home("hugetlb").filter(h -> !h.v2()).ifPresent(h -> list(h.mountPoint(), V1_HUGETLB, sizes, false));
        if (sizes.isEmpty()) {
            list(sysHugepages, SYSFS_HUGEPAGES, sizes, true);
        }
        return new HostFacts(cpus, mems, sizes);
    }

    private static void list(Path dir, Pattern p, Set<String> out, boolean kb) {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path f : ds) {
                Matcher m = p.matcher(f.getFileName().toString());
                if (m.matches()) {
                    out.add(kb ? pageSize(Long.parseLong(m.group(1))) : m.group(1));
                }
            }
        } catch (IOException e) {
            // no such directory: no huge page sizes known
        }
    }

    /** The kernel's hugetlb cgroup file spelling of a page size in kB: 2048 → 2MB, 1048576 → 1GB. */
    static String pageSize(long kb) {
        return kb % (1024 * 1024) == 0 ? kb / (1024 * 1024) + "GB" : kb % 1024 == 0 ? kb / 1024 + "MB" : kb + "KB";
    }

    private static Optional<String> read(Path p) {
        try {
            String s = ProcFiles.read(p).strip();
            return s.isEmpty() ? Optional.empty() : Optional.of(s);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Parses a cpuset list ("0-3,5"); empty if it is not one. */
    public static Optional<BitSet> parseList(String list) {
        BitSet out = new BitSet();
        for (String part : list.strip().split(",", -1)) {
            String[] r = part.split("-", -1);
            if (r.length > 2 || !r[0].matches("\\d{1,6}") || r.length == 2 && !r[1].matches("\\d{1,6}")) {
                return Optional.empty();
            }
            int from = Integer.parseInt(r[0]);
            int to = r.length == 2 ? Integer.parseInt(r[1]) : from;
            if (to < from) {
                return Optional.empty();
            }
            out.set(from, to + 1);
        }
        return Optional.of(out);
    }
}
