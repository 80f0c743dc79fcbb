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

    /**
     * From the credentials to the exec, for container and exec plans alike. {@code gate} runs after
     * the executable is found (READY, the exec fifo, startContainer hooks). Without no_new_privs,
     * seccomp(2) needs CAP_SYS_ADMIN, so the filter goes in before the capabilities are dropped (and
     * must allow what follows, as runc's does); with it, as late as possible, just before exec.
     * AppArmor and SELinux labels are set for the next execve, after the gate so hooks are not
     * confined by them.
     */
    static void credentialsToExec(dev.nido.oci.Process p, LaunchOptions opts, List<PlanStep> steps,
                                  List<PlanStep> gate) {
        boolean nnp = Boolean.TRUE.equals(p.noNewPrivileges());
        PlanStep.Seccomp filter = opts.seccompProgram() == null ? null
                : new PlanStep.Seccomp(opts.seccompFlags(), opts.seccompProgram());
        if (filter != null && !nnp) {
            steps.add(filter);
        }
        steps.add(user(p, opts.lastCap()));
        if (nnp) {
            steps.add(new PlanStep.NoNewPrivileges());
        }
        List<String> env = PlanBuilder.nonNull(p.env());
        steps.add(new PlanStep.FindExec(p.args().get(0), env));
        steps.addAll(gate);
        if (p.apparmorProfile() != null && !p.apparmorProfile().isEmpty()) {
            steps.add(new PlanStep.WriteFile("/proc/self/attr/apparmor/exec", "exec " + p.apparmorProfile(), true));
        }
        if (p.selinuxLabel() != null && !p.selinuxLabel().isEmpty()) {
            steps.add(new PlanStep.WriteFile("/proc/self/attr/exec", p.selinuxLabel(), true));
        }
        if (filter != null && nnp) {
            steps.add(filter);
        }
        steps.add(new PlanStep.Exec(p.args().get(0), p.args(), env));
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
