package dev.nido.oci;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Validation of {@code process} (also of a {@code process.json} given to {@code exec}). */
final class ProcessRules {
    private static final List<String> IO_CLASSES = List.of("IOPRIO_CLASS_RT", "IOPRIO_CLASS_BE", "IOPRIO_CLASS_IDLE");
    private static final List<String> SCHED_POLICIES = List.of("SCHED_OTHER", "SCHED_FIFO", "SCHED_RR",
            "SCHED_BATCH", "SCHED_ISO", "SCHED_IDLE", "SCHED_DEADLINE");

    private ProcessRules() {
    }

    static void check(Process p, String path, Violations v) {
        if (p.args().isEmpty()) {
            v.add(JsonPath.field(path, "args"), "must not be empty");
        }
        String cwd = JsonPath.field(path, "cwd");
        if (v.required(cwd, p.cwd())) {
            v.absolute(cwd, p.cwd());
        }
        v.environment(JsonPath.field(path, "env"), p.env());
        user(p.user(), JsonPath.field(path, "user"), v);
        rlimits(p.rlimits(), JsonPath.field(path, "rlimits"), v);
        capabilities(p.capabilities(), JsonPath.field(path, "capabilities"), v);
        v.range(JsonPath.field(path, "oomScoreAdj"), p.oomScoreAdj() == null ? null : p.oomScoreAdj().longValue(),
                -1000, 1000);
        if (p.ioPriority() != null) {
            String io = JsonPath.field(path, "ioPriority");
            if (v.required(JsonPath.field(io, "class"), p.ioPriority().ioClass())) {
                v.oneOf(JsonPath.field(io, "class"), "I/O class", p.ioPriority().ioClass(), IO_CLASSES);
            }
            Integer prio = p.ioPriority().priority();
            v.range(JsonPath.field(io, "priority"), prio == null ? null : prio.longValue(), 0, 7);
        }
        if (p.scheduler() != null) {
            String policy = JsonPath.field(JsonPath.field(path, "scheduler"), "policy");
            if (v.required(policy, p.scheduler().policy())) {
                v.oneOf(policy, "scheduling policy", p.scheduler().policy(), SCHED_POLICIES);
            }
        }
    }

    private static void user(User user, String path, Violations v) {
        if (user == null) {
            return; // absent means uid 0, gid 0, as runc reads it
        }
        v.uint32(JsonPath.field(path, "uid"), user.uid());
        v.uint32(JsonPath.field(path, "gid"), user.gid());
        v.uint32(JsonPath.field(path, "umask"), user.umask());
        for (int i = 0; i < user.additionalGids().size(); i++) {
            v.uint32(JsonPath.index(JsonPath.field(path, "additionalGids"), i), user.additionalGids().get(i));
        }
    }

    private static void rlimits(List<Rlimit> rlimits, String path, Violations v) {
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < rlimits.size(); i++) {
            Rlimit r = rlimits.get(i);
            String at = JsonPath.index(path, i);
            String type = JsonPath.field(at, "type");
            if (v.required(type, r.type())) {
                v.oneOf(type, "rlimit", r.type(), RlimitType.names());
                Integer first = seen.putIfAbsent(r.type(), i);
                if (first != null) {
                    v.add(type, "duplicate rlimit " + r.type() + " (also at " + JsonPath.index(path, first) + ")");
                }
            }
            if (r.soft() == null) {
                v.add(JsonPath.field(at, "soft"), "must be set");
            }
            if (r.hard() == null) {
                v.add(JsonPath.field(at, "hard"), "must be set");
            }
            if (r.soft() != null && r.hard() != null && Long.compareUnsigned(r.soft(), r.hard()) > 0) {
                v.add(at, "soft limit " + Long.toUnsignedString(r.soft()) + " exceeds hard limit "
                        + Long.toUnsignedString(r.hard()));
            }
        }
    }

    private static void capabilities(Capabilities caps, String path, Violations v) {
        if (caps == null) {
            return;
        }
        capabilitySet(caps.bounding(), JsonPath.field(path, "bounding"), v);
        capabilitySet(caps.effective(), JsonPath.field(path, "effective"), v);
        capabilitySet(caps.inheritable(), JsonPath.field(path, "inheritable"), v);
        capabilitySet(caps.permitted(), JsonPath.field(path, "permitted"), v);
        capabilitySet(caps.ambient(), JsonPath.field(path, "ambient"), v);
    }

    private static void capabilitySet(List<String> names, String path, Violations v) {
        for (int i = 0; i < names.size(); i++) {
            if (Capability.byName(names.get(i)).isEmpty()) {
                v.add(JsonPath.index(path, i), "unknown capability " + JsonPath.quote(names.get(i))
                        + " (expected a name such as CAP_NET_ADMIN; see capabilities(7))");
            }
        }
    }
}
