package dev.nido.runtime.plan;

import dev.nido.oci.Capability;

import java.util.List;

/** Steps that set up the process itself, shared by container and exec plans. */
final class ProcessSteps {
    private ProcessSteps() {
    }

    static void rlimits(dev.nido.oci.Process p, List<PlanStep> steps) {
        for (dev.nido.oci.Rlimit r : PlanBuilder.nonNull(p.rlimits())) {
            steps.add(new PlanStep.Rlimit(Rlimits.resource(r.type()), PlanBuilder.nz(r.soft()),
                    PlanBuilder.nz(r.hard()), r.type()));
        }
    }

    /** Credentials and the five capability sets; capabilities above the kernel's last one are dropped. */
    static PlanStep.User user(dev.nido.oci.Process p, int lastCap) {
        var u = p.user();
        int uid = u == null ? 0 : (int) PlanBuilder.nz(u.uid());
        int gid = u == null ? 0 : (int) PlanBuilder.nz(u.gid());
        List<Integer> groups = u == null ? List.of()
                : PlanBuilder.nonNull(u.additionalGids()).stream().map(Long::intValue).toList();
        var c = p.capabilities();
        if (c == null) {
            return new PlanStep.User(uid, gid, groups, lastCap, 0, 0, 0, 0, 0);
        }
        return new PlanStep.User(uid, gid, groups, lastCap, mask(c.bounding(), lastCap), mask(c.effective(), lastCap),
                mask(c.permitted(), lastCap), mask(c.inheritable(), lastCap), mask(c.ambient(), lastCap));
    }

    static long mask(List<String> names, int lastCap) {
        long m = 0;
        for (String n : PlanBuilder.nonNull(names)) {
            var c = Capability.byName(n);
            if (c.isPresent() && c.get().number() <= lastCap) {
                m |= 1L << c.get().number();
            }
        }
        return m;
    }
}
