package dev.nido.runtime.plan;

import java.util.List;

/** The plan for {@code exec}: join the running container's namespaces, fork, set up the process, exec. */
public final class ExecPlanBuilder {
    private ExecPlanBuilder() {
    }

    /**
     * @param initPid the container init's pid, whose /proc/PID/ns/* are joined
     * @param joined  the namespaces that differ from the runtime's own, in join order
     */
    public static LaunchPlan build(int initPid, List<Namespace> joined, dev.nido.oci.Process p, LaunchOptions opts) {
        List<PlanStep> steps = new java.util.ArrayList<>();
        steps.add(new PlanStep.Mode(opts.detach() ? PlanStep.Mode.DETACH : PlanStep.Mode.MONITOR));
        ProcessSteps.listener(opts, steps);
        for (Namespace n : Namespace.values()) {
            if (joined.contains(n)) {
                steps.add(new PlanStep.JoinNamespace(n, "/proc/" + initPid + "/ns/" + n.procName()));
            }
        }
        if (opts.relayConsole()) {
            steps.add(new PlanStep.ConsoleRelay());
        }
        steps.add(new PlanStep.Clone(0));
        steps.add(new PlanStep.WaitGo());
        ProcessSteps.rlimits(p, steps);
        if (Boolean.TRUE.equals(p.terminal()) && opts.consoleFd() >= 0) {
            steps.add(new PlanStep.Setsid());
            steps.add(new PlanStep.Console(opts.consoleFd()));
        }
        steps.add(new PlanStep.Chdir(p.cwd() == null || p.cwd().isEmpty() ? "/" : p.cwd()));
        ProcessSteps.credentialsToExec(p, opts, steps, List.of(new PlanStep.Ready()));
        return new LaunchPlan(steps);
    }

}
