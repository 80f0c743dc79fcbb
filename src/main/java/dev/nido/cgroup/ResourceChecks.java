package dev.nido.cgroup;

import dev.nido.oci.BlockIO;
import dev.nido.oci.Cpu;
import dev.nido.oci.DeviceCgroup;
import dev.nido.oci.HugepageLimit;
import dev.nido.oci.InterfacePriority;
import dev.nido.oci.Memory;
import dev.nido.oci.Network;
import dev.nido.oci.Resources;
import dev.nido.oci.ThrottleDevice;
import dev.nido.oci.WeightDevice;

import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * Checks of {@code linux.resources} that hold whatever the cgroup version: ranges, syntax, and the
 * host's CPUs and page sizes. Each violation is added to the list, so all are reported at once.
 */
final class ResourceChecks {
    private static final String R = "linux.resources.";
    private static final Pattern PAGE_SIZE = Pattern.compile("\\d+[KMG]B");

    private final HostFacts host;
    private final List<String> problems;

    ResourceChecks(HostFacts host, List<String> problems) {
        this.host = host;
        this.problems = problems;
    }

    void check(Resources r) {
        if (r.memory() != null) {
            memory(r.memory());
        }
        if (r.cpu() != null) {
            cpu(r.cpu());
        }
        if (r.blockIO() != null) {
            blockIO(r.blockIO());
        }
        for (int i = 0; i < r.hugepageLimits().size(); i++) {
            hugepage(R + "hugepageLimits[" + i + "]", r.hugepageLimits().get(i));
        }
        if (r.network() != null) {
            network(r.network());
        }
        for (int i = 0; i < r.devices().size(); i++) {
            device(R + "devices[" + i + "]", r.devices().get(i));
        }
        unified(r.unified());
    }

    private void memory(Memory m) {
        limit("memory.limit", m.limit());
        limit("memory.reservation", m.reservation());
        limit("memory.swap", m.swap());
        if (m.swap() != null && m.swap() > 0 && m.limit() != null && m.limit() > 0 && m.swap() < m.limit()) {
            problems.add(R + "memory.swap: " + m.swap() + " is less than memory.limit " + m.limit()
                    + " (swap is memory+swap, so use at least the limit, or -1 for no swap limit)");
        }
        if (m.swappiness() != null && (m.swappiness() < 0 || m.swappiness() > 100)) {
            problems.add(R + "memory.swappiness: " + Long.toUnsignedString(m.swappiness())
                    + " is out of range (use 0 to 100)");
        }
    }

    private void limit(String field, Long v) {
        if (v != null && v < -1) {
            problems.add(R + field + ": " + v + " is not a valid limit (use a positive number of bytes, or -1 for none)");
        }
    }

    private void cpu(Cpu c) {
        if (c.shares() != null && c.shares() != 0 && (c.shares() < 2 || c.shares() > 262144)) {
            problems.add(R + "cpu.shares: " + Long.toUnsignedString(c.shares()) + " is out of range (use 2 to 262144)");
        }
        if (c.quota() != null && c.quota() > 0 && c.quota() < 1000) {
            problems.add(R + "cpu.quota: " + c.quota()
                    + " is too small (use at least 1000 microseconds, or -1 for no quota)");
        }
        if (c.period() != null && c.period() != 0 && (c.period() < 1000 || c.period() > 1_000_000)) {
            problems.add(R + "cpu.period: " + Long.toUnsignedString(c.period())
                    + " is out of range (use 1000 to 1000000 microseconds)");
        }
        if (c.burst() != null && c.burst() < 0) {
            problems.add(R + "cpu.burst: " + Long.toUnsignedString(c.burst()) + " is out of range (use microseconds up to the quota)");
        }
        if (c.idle() != null && c.idle() != 0 && c.idle() != 1) {
            problems.add(R + "cpu.idle: " + c.idle() + " is not valid (use 0 or 1)");
        }
        cpuList("cpu.cpus", c.cpus(), host.cpus(), "CPUs", "0-3,5");
        cpuList("cpu.mems", c.mems(), host.mems(), "memory nodes", "0-1");
    }

    private void cpuList(String field, String value, String hostList, String what, String example) {
        if (value == null || value.isBlank()) {
            return;
        }
        Optional<BitSet> asked = HostFacts.parseList(value);
        if (asked.isEmpty()) {
            problems.add(R + field + ": \"" + value + "\" is not a list of " + what + " (expected e.g. " + example + ")");
            return;
        }
        Optional<BitSet> have = hostList == null ? Optional.empty() : HostFacts.parseList(hostList);
        if (have.isPresent()) {
            BitSet outside = (BitSet) asked.get().clone();
            outside.andNot(have.get());
            if (!outside.isEmpty()) {
                StringJoiner j = new StringJoiner(",");
                outside.stream().forEach(i -> j.add(Integer.toString(i)));
                problems.add(R + field + ": " + j + " is out of range (this host has " + what + " " + hostList + ")");
            }
        }
    }

    private void blockIO(BlockIO b) {
        weight("blockIO.weight", b.weight());
        weight("blockIO.leafWeight", b.leafWeight());
        for (int i = 0; i < b.weightDevice().size(); i++) {
            WeightDevice d = b.weightDevice().get(i);
            String f = "blockIO.weightDevice[" + i + "]";
            device(f, d.major(), d.minor());
            weight(f + ".weight", d.weight());
            weight(f + ".leafWeight", d.leafWeight());
        }
        throttles("throttleReadBpsDevice", b.throttleReadBpsDevice());
        throttles("throttleWriteBpsDevice", b.throttleWriteBpsDevice());
        throttles("throttleReadIOPSDevice", b.throttleReadIOPSDevice());
        throttles("throttleWriteIOPSDevice", b.throttleWriteIOPSDevice());
    }

    private void weight(String field, Integer w) {
        if (w != null && w != 0 && (w < 10 || w > 1000)) {
            problems.add(R + field + ": " + w + " is out of range (use 10 to 1000)");
        }
    }

    private void throttles(String field, List<ThrottleDevice> ds) {
        for (int i = 0; i < ds.size(); i++) {
            ThrottleDevice d = ds.get(i);
            device("blockIO." + field + "[" + i + "]", d.major(), d.minor());
            if (d.rate() == null || d.rate() < 0) {
                problems.add(R + "blockIO." + field + "[" + i + "].rate: "
                        + (d.rate() == null ? "missing" : Long.toUnsignedString(d.rate()) + " is out of range")
                        + " (use a number per second, 0 for no limit)");
            }
        }
    }

    private void device(String field, Long major, Long minor) {
        if (major == null || major < 0 || minor == null || minor < 0) {
            problems.add(R + field + ": major and minor device numbers are required (e.g. \"major\": 8, \"minor\": 0)");
        }
    }

    private void hugepage(String field, HugepageLimit h) {
        if (h.pageSize() == null || !PAGE_SIZE.matcher(h.pageSize()).matches()) {
            problems.add(field + ".pageSize: \"" + h.pageSize() + "\" is not a page size (expected e.g. 2MB or 1GB)");
        } else if (!host.hugePageSizes().isEmpty() && !host.hugePageSizes().contains(h.pageSize())) {
            problems.add(field + ".pageSize: " + h.pageSize() + " is not a huge page size of this host (available: "
                    + String.join(", ", new java.util.TreeSet<>(host.hugePageSizes())) + ")");
        }
        if (h.limit() == null) {
            problems.add(field + ".limit: missing (use a number of bytes)");
        }
    }

    private void network(Network n) {
        if (n.classID() != null && (n.classID() < 0 || n.classID() > 0xffffffffL)) {
            problems.add(R + "network.classID: " + n.classID() + " is out of range (use 0 to 4294967295, 0xMMMMmmmm)");
        }
        for (int i = 0; i < n.priorities().size(); i++) {
            InterfacePriority p = n.priorities().get(i);
            if (p.name() == null || p.name().isBlank() || p.name().matches(".*\\s.*")) {
                problems.add(R + "network.priorities[" + i + "].name: \"" + p.name() + "\" is not an interface name");
            }
            if (p.priority() == null || p.priority() < 0 || p.priority() > 0xffffffffL) {
                problems.add(R + "network.priorities[" + i + "].priority: " + p.priority()
                        + " is out of range (use 0 to 4294967295)");
            }
        }
    }

    private void device(String field, DeviceCgroup d) {
        if (d.type() != null && !List.of("a", "b", "c").contains(d.type())) {
            problems.add(field + ".type: unknown device type \"" + d.type() + "\" (expected a, b or c)");
        }
        if (d.access() != null && !d.access().matches("[rwm]*")) {
            problems.add(field + ".access: \"" + d.access() + "\" is not an access mode (expected letters of rwm)");
        }
    }

    private void unified(Map<String, String> unified) {
        unified.forEach((k, v) -> {
            if (k.isEmpty() || k.contains("/") || k.contains("..") || k.contains("\0") || !k.contains(".")) {
                problems.add(R + "unified[\"" + k + "\"]: not a cgroup v2 file name (expected e.g. memory.high)");
            }
            if (v == null) {
                problems.add(R + "unified[\"" + k + "\"]: missing value");
            }
        });
    }
}
