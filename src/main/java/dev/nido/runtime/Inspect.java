package dev.nido.runtime;

import dev.nido.cgroup.ContainerCgroup;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Read-only verbs: {@code state}, {@code list}, {@code ps}. */
public final class Inspect {
    private final RuntimeContext ctx;

    public Inspect(RuntimeContext ctx) {
        this.ctx = ctx;
    }

    /** The runtime-spec state of one container. */
    public Map<String, Object> state(String id) {
        ContainerRecord r = ctx.store().load(id);
        return StateView.of(r, ContainerStatus.of(ctx.store(), r));
    }

    /** The states of every container, by id. A container being deleted meanwhile is skipped. */
    public List<Map<String, Object>> list() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String id : ctx.store().ids()) {
            try {
                out.add(state(id));
            } catch (ContainerException e) {
                // removed between listing and reading
            }
        }
        return out;
    }

    /** The pids of the container's processes (from its cgroup). */
    public List<Integer> pids(String id) {
        ContainerRecord r = ctx.store().load(id);
        return ContainerCgroup.ofDirs(ctx.sys(), r.cgroupPath(), r.cgroupDirs().stream().map(Path::of).toList())
                .pids();
    }
}
