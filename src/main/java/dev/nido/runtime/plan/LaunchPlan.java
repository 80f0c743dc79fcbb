package dev.nido.runtime.plan;

import java.util.List;

/**
 * Everything the C helper will do for one container process, in order. Built by
 * {@link PlanBuilder} (all decisions) and encoded by {@link PlanEncoder}.
 */
public record LaunchPlan(List<PlanStep> steps) {
    public LaunchPlan {
        steps = List.copyOf(steps);
    }

    /** The step with the helper's 0-based op index (as reported in ERROR events). */
    public PlanStep step(int index) {
        return index >= 0 && index < steps.size() ? steps.get(index) : null;
    }

    /** The rootfs the plan works in (its ROOTFS step), or "$ROOTFS" when it has none. */
    public String rootfs() {
        for (PlanStep s : steps) {
            if (s instanceof PlanStep.Rootfs r) {
                return r.path();
            }
        }
        return "$ROOTFS";
    }

    /** The plan as shell commands, one per line, for --explain. */
    public List<String> toShell() {
        return steps.stream().map(PlanStep::toShell).toList();
    }
}
