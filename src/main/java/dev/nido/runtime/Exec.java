package dev.nido.runtime;

import dev.nido.cgroup.ContainerCgroup;
import dev.nido.linux.Fd;
import dev.nido.oci.RuntimeSpec;
import dev.nido.runtime.plan.ExecPlanBuilder;
import dev.nido.runtime.plan.LaunchOptions;
import dev.nido.runtime.plan.LaunchPlan;
import dev.nido.runtime.plan.Namespace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code exec}: runs a new process in a running container, joining every namespace its init
 * has (compared with ours by inode) and its cgroup.
 */
public final class Exec {
    private final RuntimeContext ctx;
    private volatile int forwardTo;

    public Exec(RuntimeContext ctx) {
        this.ctx = ctx;
    }

    /** What to run: the process (from --process or built from the flags) and how. */
    public record Request(String id, dev.nido.oci.Process process, boolean detach, Path consoleSocket,
                          Path pidFile, Consumer<String> explain) {
    }

    /** The container's own process spec, as the base for an exec built from flags. */
    public dev.nido.oci.Process baseProcess(String id) {
        ctx.store().load(id);
        RuntimeSpec spec = Start.savedSpec(ctx, id);
        if (spec == null || spec.process() == null) {
            throw new ContainerException("container \"" + id + "\": its saved config.json cannot be read");
        }
        return spec.process();
    }

    public int run(Request req) {
        ContainerRecord r = ctx.store().load(req.id());
        Status st = ContainerStatus.of(ctx.store(), r);
        if (st != Status.RUNNING && st != Status.CREATED) {
            throw new ContainerException("cannot exec in a stopped container: container not running");
        }
        LsmSupport.check(null, req.process(), false);
        boolean terminal = Boolean.TRUE.equals(req.process().terminal());
        if (terminal && req.consoleSocket() == null && req.detach()) {
            throw new ContainerException("exec -t -d needs --console-socket to receive the pty");
        }
        int lastCap = RuntimeContext.lastCap();
        RuntimeSpec spec = Start.savedSpec(ctx, req.id());
        if (spec == null) {
            // its seccomp filter applies to exec'd processes too: never exec without knowing it
            throw new ContainerException("container \"" + req.id() + "\": its saved config.json cannot be read");
        }
        dev.nido.runtime.plan.SeccompLoad filter = Confinement.prepare(ctx, req.process(),
                spec.linux() == null ? null : spec.linux().seccomp(), lastCap);
        LaunchOptions opts = new LaunchOptions(req.detach(), null, false, terminal ? 5 : -1,
                terminal && req.consoleSocket() == null, lastCap, List.of(), filter, false, false);
        LaunchPlan plan = ExecPlanBuilder.build(r.pid(), joined(r.pid()), req.process(), opts);
        if (req.explain() != null) {
            plan.toShell().forEach(req.explain());
        }
        Fd console = req.consoleSocket() == null ? null : ctx.sys().connectUnix(req.consoleSocket());
        HelperProcess helper;
        try {
            helper = HelperProcess.start(ctx.sys(), plan, req.id() + "-exec", console);
        } finally {
            if (console != null) {
                ctx.sys().close(console);
            }
        }
        try (helper) {
            int pid = helper.awaitPid();
            ContainerCgroup.ofDirs(ctx.sys(), r.cgroupPath(), r.cgroupDirs().stream().map(Path::of).toList())
                    .attach(pid);
            helper.go(StateView.forHooks(r, Status.RUNNING)); // the state a seccomp agent is sent
            if (req.detach()) {
                helper.awaitReady();
                helper.reapStatus();
                if (req.pidFile() != null) {
                    PidFile.write(req.pidFile(), pid);
                }
                return 0;
            }
            if (req.pidFile() != null) {
                PidFile.write(req.pidFile(), pid);
            }
            forwardTo = helper.shimPid();
            return helper.awaitExit(() -> { });
        } finally {
            forwardTo = 0;
        }
    }

    /** The namespaces of pid that are not ours. */
    static List<Namespace> joined(int pid) {
        List<Namespace> out = new ArrayList<>();
        for (Namespace n : Namespace.values()) {
            Path theirs = Path.of("/proc/" + pid + "/ns/" + n.procName());
            Path ours = Path.of("/proc/self/ns/" + n.procName());
            try {
                if (!Files.readSymbolicLink(theirs).equals(Files.readSymbolicLink(ours))) {
                    out.add(n);
                }
            } catch (IOException e) {
                if (Files.exists(ours)) {
                    throw new ContainerException("read " + theirs + ": " + e.getMessage()
                            + " (is the container running?)", e);
                }
            }
        }
        return out;
    }

    public void forward(int signal) {
        int pid = forwardTo;
        if (pid > 0) {
            try {
                ctx.sys().kill(pid, signal);
            } catch (RuntimeException e) {
                // gone
            }
        }
    }
}
