package dev.nido.cgroup;

import dev.nido.cgroup.v1.BlkioV1;
import dev.nido.cgroup.v1.CpuV1;
import dev.nido.cgroup.v1.CpusetV1;
import dev.nido.cgroup.v1.DevicesV1;
import dev.nido.cgroup.v1.HugetlbV1;
import dev.nido.cgroup.v1.MemoryV1;
import dev.nido.cgroup.v1.NetV1;
import dev.nido.cgroup.v1.PidsV1;
import dev.nido.cgroup.v1.RdmaV1;
import dev.nido.cgroup.v2.CpuV2;
import dev.nido.cgroup.v2.CpusetV2;
import dev.nido.cgroup.v2.HugetlbV2;
import dev.nido.cgroup.v2.IoV2;
import dev.nido.cgroup.v2.MemoryV2;
import dev.nido.cgroup.v2.PidsV2;
import dev.nido.cgroup.v2.RdmaV2;
import dev.nido.cgroup.v2.UnifiedV2;
import dev.nido.oci.Cpu;
import dev.nido.oci.HugepageLimit;
import dev.nido.oci.Resources;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * {@code linux.resources} → the cgroup file writes that apply it on this host: each section goes
 * to the hierarchy that serves its controller (v1 or v2, so a hybrid host mixes both) and is
 * translated by that version's controller class. Every problem is collected and reported at once.
 */
public final class ResourcePlanner {
    private static final String R = "linux.resources.";

    private final CgroupLayout layout;
    private final List<String> problems;
    private final List<CgroupWrite> writes = new ArrayList<>();

    private ResourcePlanner(CgroupLayout layout, List<String> problems) {
        this.layout = layout;
        this.problems = problems;
    }

    /** Every write that applies {@code r} on this host, in a safe order; r may be null (no writes). */
    public static List<CgroupWrite> plan(CgroupLayout layout, Resources r) {
        return r == null ? List.of() : plan(layout, HostFacts.probe(layout), r);
    }

    /** As {@link #plan(CgroupLayout, Resources)} with the host's CPUs and page sizes given. */
    public static List<CgroupWrite> plan(CgroupLayout layout, HostFacts host, Resources r) {
        if (r == null) {
            return List.of();
        }
        List<String> problems = new ArrayList<>();
        new ResourceChecks(host, problems).check(r);
        ResourcePlanner p = new ResourcePlanner(layout, problems);
        if (problems.isEmpty()) {
            p.route(r);
        }
        if (!problems.isEmpty()) {
            throw new CgroupException(problems);
        }
        return List.copyOf(p.writes);
    }

    /**
     * The order runc uses for v1 subsystems: cpuset first (a v1 cpuset refuses tasks until it has
     * cpus and mems), devices, memory, cpu, pids, blkio, hugetlb, net, rdma; the raw unified files last.
     */
    private void route(Resources r) {
        if (r.cpu() != null && (present(r.cpu().cpus()) || present(r.cpu().mems()))) {
            home(R + "cpu.cpus", "cpuset").ifPresent(v2 -> {
                if (v2) {
                    CpusetV2.plan(r.cpu(), out("cpuset"));
                } else {
                    CpusetV1.plan(r.cpu(), out("cpuset"));
                }
            });
        }
        devices(r);
        if (r.memory() != null) {
            home(R + "memory", "memory").ifPresent(v2 -> {
                if (v2) {
                    MemoryV2.plan(r.memory(), out("memory"), problems::add);
                } else {
                    MemoryV1.plan(r.memory(), has("memory"), out("memory"), problems::add);
                }
            });
        }
        if (r.cpu() != null && usesCpuController(r.cpu())) {
            home(R + "cpu", "cpu").ifPresent(v2 -> {
                if (v2) {
                    CpuV2.plan(r.cpu(), out("cpu"), problems::add);
                } else {
                    CpuV1.plan(r.cpu(), has("cpu"), out("cpu"), problems::add);
                }
            });
        }
        if (r.pids() != null && r.pids().limit() != null) {
            home(R + "pids", "pids").ifPresent(v2 -> {
                if (v2) {
                    PidsV2.plan(r.pids(), out("pids"));
                } else {
                    PidsV1.plan(r.pids(), out("pids"));
                }
            });
        }
        blockIO(r);
        hugepages(r.hugepageLimits());
        network(r);
        rdma(r);
        unified(r);
    }

    private void devices(Resources r) {
        if (r.devices().isEmpty()) {
            return;
        }
        // On v2 the device controller is an eBPF program, not files: ContainerCgroup.applyDevicePolicy attaches it.
        if (layout.controllerHome("devices").filter("v1"::equals).isPresent()) {
            DevicesV1.plan(r.devices(), out("devices"));
        }
    }

    private void blockIO(Resources r) {
        if (r.blockIO() == null) {
            return;
        }
        if (layout.controllerHome("blkio").filter("v1"::equals).isPresent()) {
            BlkioV1.plan(r.blockIO(), has("blkio"), out("blkio"), problems::add);
        } else if (home(R + "blockIO", "io").isPresent()) {
            IoV2.plan(r.blockIO(), out("io"), problems::add);
        }
    }

    private void hugepages(List<HugepageLimit> limits) {
        for (int i = 0; i < limits.size(); i++) {
            HugepageLimit h = limits.get(i);
            home(R + "hugepageLimits[" + i + "]", "hugetlb").ifPresent(v2 -> {
                if (v2) {
                    HugetlbV2.plan(h, out("hugetlb"));
                } else {
                    HugetlbV1.plan(h, out("hugetlb"));
                }
            });
        }
    }

    private void network(Resources r) {
        if (r.network() == null) {
            return;
        }
        if (r.network().classID() != null && v1Only(R + "network.classID", "net_cls")) {
            NetV1.planClassId(r.network(), out("net_cls"));
        }
        if (!r.network().priorities().isEmpty() && v1Only(R + "network.priorities", "net_prio")) {
            NetV1.planPriorities(r.network(), out("net_prio"));
        }
    }

    private void rdma(Resources r) {
        if (r.rdma().isEmpty()) {
            return;
        }
        home(R + "rdma", "rdma").ifPresent(v2 -> {
            if (v2) {
                RdmaV2.plan(r.rdma(), out("rdma"));
            } else {
                RdmaV1.plan(r.rdma(), out("rdma"));
            }
        });
    }

    /** Raw v2 files: each key's controller must be available in the cgroup2 mount. */
    private void unified(Resources r) {
        r.unified().forEach((file, value) -> {
            String controller = UnifiedV2.controllerOf(file);
            String field = R + "unified[\"" + file + "\"]";
            if (layout.v2().isEmpty()) {
                problems.add(field + ": cgroup v2 is not mounted on this host (unified needs cgroup v2)");
            } else if (!controller.equals("cgroup") && !layout.v2().get().controllers().contains(controller)) {
                problems.add(field + ": controller " + controller + " is not available in cgroup v2 on this host"
                        + (layout.controllerHome(controller).isPresent() ? " (it is bound to a v1 hierarchy)" : ""));
            } else {
                writes.add(new CgroupWrite(controller, file, value));
            }
        });
    }

    private boolean v1Only(String field, String controller) {
        Optional<Boolean> v2 = home(field, controller);
        if (v2.orElse(false)) {
            problems.add(field + ": controller " + controller + " does not exist in cgroup v2 (leave it unset)");
            return false;
        }
        return v2.isPresent();
    }

    /** Whether {@code controller} is on v2 (true) or v1 (false); empty, with a problem, if the host lacks it. */
    private Optional<Boolean> home(String field, String controller) {
        Optional<Hierarchy> h = layout.home(controller);
        if (h.isEmpty()) {
            problems.add(field + ": controller " + controller + " is not available on this host");
        }
        return h.map(Hierarchy::v2);
    }

    /** Whether a file exists in the root of the controller's hierarchy (optional kernel features). */
    private Predicate<String> has(String controller) {
        return file -> layout.home(controller).map(h -> Files.exists(h.mountPoint().resolve(file))).orElse(false);
    }

    private BiConsumer<String, String> out(String controller) {
        return (file, value) -> writes.add(new CgroupWrite(controller, file, value));
    }

    private static boolean usesCpuController(Cpu c) {
        return c.shares() != null || c.quota() != null || c.period() != null || c.burst() != null
                || c.realtimeRuntime() != null || c.realtimePeriod() != null || c.idle() != null;
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }
}
