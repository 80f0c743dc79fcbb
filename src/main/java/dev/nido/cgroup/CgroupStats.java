package dev.nido.cgroup;

import dev.nido.cgroup.v1.BlkioV1;
import dev.nido.cgroup.v1.CpuV1;
import dev.nido.cgroup.v1.MemoryV1;
import dev.nido.cgroup.v1.PidsV1;
import dev.nido.cgroup.v2.CpuV2;
import dev.nido.cgroup.v2.IoV2;
import dev.nido.cgroup.v2.MemoryV2;
import dev.nido.cgroup.v2.PidsV2;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** runc's {@code events --stats} data for one cgroup, per controller from whichever version serves it. */
final class CgroupStats {
    private CgroupStats() {
    }

    static Map<String, Object> of(ContainerCgroup cg) {
        CgroupLayout l = cg.layout();
        Map<String, Object> out = new LinkedHashMap<>();
        l.controllerHome("cpu").ifPresent(v -> out.put("cpu", v.equals("v2") ? CpuV2.stats(cg.reader("cpu"))
                : CpuV1.stats(cg.reader("cpu"), l.home("cpuacct").isPresent() ? cg.reader("cpuacct") : none())));
        l.controllerHome("memory").ifPresent(v -> out.put("memory",
                v.equals("v2") ? MemoryV2.stats(cg.reader("memory")) : MemoryV1.stats(cg.reader("memory"))));
        l.controllerHome("pids").ifPresent(v -> out.put("pids",
                v.equals("v2") ? PidsV2.stats(cg.reader("pids")) : PidsV1.stats(cg.reader("pids"))));
        blkio(cg, l).ifPresent(b -> out.put("blkio", b));
        return out;
    }

    /** Block I/O usage, when the cgroup has the controller's directory and its counters exist. */
    private static Optional<Map<String, Object>> blkio(ContainerCgroup cg, CgroupLayout l) {
        Optional<String> home = l.controllerHome("blkio").or(() -> l.controllerHome("io"));
        if (home.isEmpty()) {
            return Optional.empty();
        }
        try {
            Map<String, Object> b = home.get().equals("v2") ? IoV2.stats(cg.reader("io"))
                    : BlkioV1.stats(cg.reader("blkio"));
            return b.isEmpty() ? Optional.empty() : Optional.of(b);
        } catch (CgroupException noDirectory) {
            return Optional.empty(); // a cgroup made without that hierarchy
        }
    }

    private static Function<String, Optional<String>> none() {
        return f -> Optional.empty();
    }
}
