package dev.nido.runtime;

import dev.nido.cgroup.CgroupLayout;
import dev.nido.linux.Syscalls;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * What every lifecycle verb works with: the kernel (possibly explaining), the state store,
 * the host's cgroup layout (read once, lazily), and a sink for warnings.
 */
public final class RuntimeContext {
    private final Syscalls sys;
    private final StateStore store;
    private final Consumer<String> warnings;
    private CgroupLayout layout;

    public RuntimeContext(Syscalls sys, Path root, Consumer<String> warnings) {
        this.sys = sys;
        this.store = new StateStore(root);
        this.warnings = warnings;
    }

    public Syscalls sys() {
        return sys;
    }

    public StateStore store() {
        return store;
    }

    public void warn(String message) {
        warnings.accept(message);
    }

    public synchronized CgroupLayout cgroups() {
        if (layout == null) {
            layout = CgroupLayout.detect();
        }
        return layout;
    }

    /** The kernel's highest capability number. */
    static int lastCap() {
        try {
            return Integer.parseInt(dev.nido.linux.ProcFiles.read(Path.of("/proc/sys/kernel/cap_last_cap")).strip());
        } catch (IOException | NumberFormatException e) {
            return 40;
        }
    }
}
