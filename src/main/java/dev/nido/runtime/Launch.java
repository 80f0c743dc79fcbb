package dev.nido.runtime;

import dev.nido.cgroup.CgroupWrite;
import dev.nido.cgroup.ContainerCgroup;
import dev.nido.cgroup.ResourcePlanner;
import dev.nido.linux.Fd;
import dev.nido.linux.LinuxException;
import dev.nido.oci.IdMapping;
import dev.nido.oci.RuntimeSpec;
import dev.nido.oci.SpecReader;
import dev.nido.runtime.hooks.HookRunner;
import dev.nido.runtime.plan.LaunchOptions;
import dev.nido.runtime.plan.LaunchPlan;
import dev.nido.runtime.plan.PlanBuilder;
import dev.nido.runtime.plan.SeccompLoad;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The part of create and run that brings a container to the point where its init is set up:
 * state directory, cgroup, the helper with its plan, the child placed in its cgroup with its
 * id maps, the prestart and createRuntime hooks, and the go. On any failure everything made so
 * far is removed again.
 */
final class Launch {
    /** How a launch should go. */
    record Request(String id, Path bundle, boolean detach, boolean useFifo, boolean noPivot,
                   Path consoleSocket, Path pidFile, Consumer<String> explain, MonitorConfig monitor) {
        Request(String id, Path bundle, boolean detach, boolean useFifo, boolean noPivot,
                Path consoleSocket, Path pidFile, Consumer<String> explain) {
            this(id, bundle, detach, useFifo, noPivot, consoleSocket, pidFile, explain, null);
        }
    }

    /** A container whose init has been let go; the caller waits for READY or EXIT. */
    record Started(RuntimeSpec spec, ContainerRecord record, HelperProcess helper, ContainerCgroup cgroup) {
    }

    /** Where containers without linux.cgroupsPath go: {@code /nido/ID} in every hierarchy. */
    static final String DEFAULT_CGROUP_PARENT = "/nido";

    private final RuntimeContext ctx;

    Launch(RuntimeContext ctx) {
        this.ctx = ctx;
    }

    Started start(Request req) {
        StateStore.checkId(req.id());
        Path bundle = req.bundle().toAbsolutePath().normalize();
        PhaseTrace.mark("start"); RuntimeSpec spec = SpecReader.read(bundle); PhaseTrace.mark("spec read");
        checkTerminal(spec, req);
        LsmSupport.check(spec, spec.process(), true);
        RootlessChecks.check(spec, Identity.uid());
        // every limit is planned and checked before anything exists, so bad values leave nothing behind
        String cgPath = spec.linux().cgroupsPath() == null || spec.linux().cgroupsPath().isEmpty()
                ? DEFAULT_CGROUP_PARENT + "/" + req.id() : spec.linux().cgroupsPath();
        ContainerCgroup chosen = CgroupChoice.choose(ctx.sys(), ctx.cgroups(), cgPath, Identity.isRoot());
        dev.nido.oci.Resources resources = null;
        List<CgroupWrite> limits = List.of();
        if (!chosen.dirs().isEmpty()) {
            resources = DeviceRules.withDefaults(spec.linux().resources(), spec.linux().devices());
            limits = ResourcePlanner.plan(ctx.cgroups(), resources);
        } else if (!CgroupChoice.limitsAsked(spec.linux().resources()).isEmpty()) {
            throw CgroupChoice.undelegated(CgroupChoice.limitsAsked(spec.linux().resources()), Identity.uid());
        }
        Path dir = ctx.store().createDir(req.id());
        HelperProcess helper = null;
        ContainerRecord record = null;
        ContainerCgroup cgroup = null;
        try {
            Files.copy(bundle.resolve("config.json"), dir.resolve(StateStore.CONFIG));
            cgroup = chosen;
            record = initialRecord(req, bundle, spec, cgroup);
            ctx.store().save(record); // before any cgroup exists, so delete --force finds them after a kill
            PhaseTrace.mark("record saved");
            // The plan is built and encoded and the helper read before the first kernel call:
            // that call waits for the native link, which Main started in the background.
            Path fifo = req.useFifo() ? dir.resolve(StateStore.FIFO) : null;
            LaunchPlan plan = PlanBuilder.container(spec, bundle, options(req, spec, fifo, cgroup));
            HelperProcess.Prepared prepared = HelperProcess.Prepared.of(plan);
            PhaseTrace.mark("plan prepared");
            cgroup.create();
            cgroup.apply(limits);
            if (resources != null) {
                cgroup.applyDevicePolicy(resources.devices()); // v2 without a v1 devices hierarchy: an eBPF program
            }
            PhaseTrace.mark("cgroups created");
            if (fifo != null) {
                ctx.sys().mkfifo(fifo, 0622);
            }
            helper = spawn(prepared, req); PhaseTrace.mark("spawned");
            int pid = helper.awaitPid(); PhaseTrace.mark("pid");
            record = record.withPid(pid, startTime(pid));
            ctx.store().save(record);
            PhaseTrace.mark("state saved"); cgroup.attach(pid); PhaseTrace.mark("attached");
            writeIdMaps(spec, pid);
            HookRunner.runAll("prestart", hooks(spec).prestart(), StateView.forHooks(record, Status.CREATING));
            HookRunner.runAll("createRuntime", hooks(spec).createRuntime(), StateView.forHooks(record, Status.CREATING));
            helper.go(StateView.forHooks(record, Status.CREATING));
            if (req.explain() != null) {
                // what the helper now does, in order (it ran the steps up to the clone already)
                plan.toShell().forEach(req.explain());
            } PhaseTrace.mark("go");
            return new Started(spec, record, helper, cgroup);
        } catch (HookRunner.HookFailure e) {
            cleanup(req.id(), helper, record, cgroup);
            throw new ContainerException(e.getMessage());
        } catch (java.io.IOException e) {
            cleanup(req.id(), helper, record, cgroup);
            throw new ContainerException("copy config.json to " + dir + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            cleanup(req.id(), helper, record, cgroup);
            throw e;
        }
    }

    private static dev.nido.oci.Hooks hooks(RuntimeSpec spec) {
        return spec.hooks() == null ? new dev.nido.oci.Hooks(null, null, null, null, null, null) : spec.hooks();
    }

    private void checkTerminal(RuntimeSpec spec, Request req) {
        boolean terminal = Boolean.TRUE.equals(spec.process().terminal());
        if (!terminal && req.consoleSocket() != null) {
            throw new ContainerException("--console-socket " + req.consoleSocket()
                    + ": process.terminal is false in config.json (set it to true to get a pty)");
        }
        if (terminal && req.consoleSocket() != null && req.monitor() != null) {
            throw new ContainerException("--console-socket and --monitor: the monitor holds the pty itself (give one)");
        }
        if (terminal && req.consoleSocket() == null && req.detach() && req.monitor() == null) {
            throw new ContainerException("process.terminal is true: a detached container needs --console-socket to receive its pty"
                    + " (or set process.terminal to false)");
        }
    }

    private ContainerRecord initialRecord(Request req, Path bundle, RuntimeSpec spec, ContainerCgroup cg) {
        List<String> dirs = cg.dirs().stream().map(Path::toString).toList();
        List<String> toCreate = new ArrayList<>();
        boolean defaultPath = cg.path().equals(DEFAULT_CGROUP_PARENT + "/" + req.id());
        for (Path d : cg.dirs()) {
            for (Path p = d; p != null && !Files.exists(p) && !isHierarchyRoot(p); p = p.getParent()) {
                toCreate.add(p.toString());
            }
            // nido's own parent (/nido) is shared by its containers: whichever is deleted last removes it,
            // not only the one that happened to create it (delete only removes it when empty)
            if (defaultPath && !toCreate.contains(d.getParent().toString())) {
                toCreate.add(d.getParent().toString());
            }
        }
        return new ContainerRecord(req.id(), bundle.toString(), PlanBuilder.rootfs(spec, bundle).toString(), 0, 0,
                Timestamp.iso(Instant.now()), System.getProperty("user.name", "root"), spec.annotations(),
                cg.path(), dirs, toCreate);
    }

    private boolean isHierarchyRoot(Path p) {
        return ctx.cgroups().hierarchies().stream().anyMatch(h -> h.mountPoint().equals(p));
    }

    private LaunchOptions options(Request req, RuntimeSpec spec, Path fifo, ContainerCgroup cg) {
        boolean terminal = Boolean.TRUE.equals(spec.process().terminal());
        boolean relay = terminal && req.consoleSocket() == null;
        List<LaunchOptions.CgroupMount> cgMounts = new ArrayList<>();
        var v1 = ctx.cgroups().v1();
        if (!v1.isEmpty() && !cg.dirs().isEmpty()) {
            for (int i = 0; i < ctx.cgroups().hierarchies().size(); i++) {
                var h = ctx.cgroups().hierarchies().get(i);
                cgMounts.add(new LaunchOptions.CgroupMount(h.name(), cg.dirs().get(i)));
            }
        }
        int lastCap = RuntimeContext.lastCap();
        SeccompLoad filter = Confinement.prepare(ctx, spec.process(), spec.linux().seccomp(), lastCap);
        PhaseTrace.mark("seccomp compiled");
        return new LaunchOptions(req.detach(), fifo, req.noPivot(), terminal ? 5 : -1, relay,
                lastCap, cgMounts, filter, cg.dirs().isEmpty(),
                RootfsIds.needsIdmap(spec, req.bundle().toAbsolutePath().normalize(), Identity.isRoot()),
                req.monitor() == null ? null : req.monitor().step(terminal, !req.detach()));
    }

    private HelperProcess spawn(HelperProcess.Prepared prepared, Request req) {
        Fd console = req.consoleSocket() == null ? null : ctx.sys().connectUnix(req.consoleSocket());
        try {
            return HelperProcess.start(ctx.sys(), prepared, req.id(), console);
        } finally {
            if (console != null) {
                ctx.sys().close(console);
            }
        }
    }

    private void writeIdMaps(RuntimeSpec spec, int pid) {
        new IdMapWriter(ctx.sys(), Identity.uid(), Identity.gid())
                .write(pid, spec.linux().uidMappings(), spec.linux().gidMappings());
    }

    static long startTime(int pid) {
        ProcStat st = ProcStat.of(pid);
        return st == null ? 0 : st.startTime();
    }

    /** Undoes a failed launch: the helper and its child, the cgroups, the state directory. */
    void cleanup(String id, HelperProcess helper, ContainerRecord record, ContainerCgroup cgroup) {
        if (helper != null) {
            helper.abort();
            helper.close();
        }
        if (record != null && record.pid() > 0 && ProcStat.sameLiveProcess(record.pid(), record.pidStart())) {
            try {
                ctx.sys().kill(record.pid(), 9);
            } catch (LinuxException e) {
                // gone already
            }
        }
        try {
            if (cgroup != null && record != null) {
                cgroup.remove(record.cgroupCreated().stream().map(Path::of).toList());
            }
        } catch (RuntimeException e) {
            ctx.warn("cleanup: " + e.getMessage());
        }
        try {
            ctx.store().removeDir(id);
        } catch (RuntimeException e) {
            ctx.warn("cleanup: " + e.getMessage());
        }
    }
}
