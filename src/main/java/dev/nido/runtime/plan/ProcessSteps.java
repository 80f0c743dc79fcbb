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
     * A filter with a listener (SCMP_ACT_NOTIFY) goes in before the gate, so that its fd reaches
     * the agent while {@code create} still waits. AppArmor and SELinux labels are set for the next
     * execve, after the gate so hooks are not confined by them.
     */
    static void credentialsToExec(dev.nido.oci.Process p, LaunchOptions opts, List<PlanStep> steps,
                                  List<PlanStep> gate) {
        boolean nnp = Boolean.TRUE.equals(p.noNewPrivileges());
        SeccompLoad sc = opts.seccomp();
        PlanStep.Seccomp filter = sc == null ? null : new PlanStep.Seccomp(sc.flags(), sc.program());
        if (filter != null && !nnp) {
            steps.add(filter);
        }
        steps.add(user(p, opts.lastCap()));
        if (nnp) {
            steps.add(new PlanStep.NoNewPrivileges());
        }
        List<String> env = PlanBuilder.nonNull(p.env());
        steps.add(new PlanStep.FindExec(p.args().get(0), env));
        if (filter != null && nnp && sc.notifies()) {
            // the agent gets the listener fd while create still waits: a failure fails create
            steps.add(filter);
            filter = null;
        }
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

    /** The LISTENER step (a parent op, before any namespace is joined) when the filter notifies an agent. */
    static void listener(LaunchOptions opts, List<PlanStep> steps) {
        if (opts.seccomp() != null && opts.seccomp().notifies()) {
            steps.add(new PlanStep.Listener(opts.seccomp().listenerPath(), opts.seccomp().listenerMetadata()));
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
