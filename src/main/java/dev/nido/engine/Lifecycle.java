package dev.nido.engine;

import dev.nido.image.snapshot.Rootfs;
import dev.nido.image.snapshot.Snapshots;
import dev.nido.image.store.ImageStore;
import dev.nido.linux.Syscalls;
import dev.nido.oci.Json;
import dev.nido.runtime.PhaseTrace;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Starting and ending named containers. A started container runs under its monitor (the runtime's
 * helper, staying on as conmon does for podman): no JVM stays behind. When the container's init
 * exits, the monitor records the exit and runs {@code nido container cleanup ID}, which unmounts
 * the root filesystem, removes an {@code --rm} container and applies the restart policy. Every
 * change to a container holds its lock ({@code containers/ID/.lock}).
 */
public final class Lifecycle {
    private final ImageStore images;
    private final Containers cs;
    private final Syscalls sys;
    private final boolean explain;

    public Lifecycle(ImageStore images, Containers cs, Syscalls sys, boolean explain) {
        this.images = images;
        this.cs = cs;
        this.sys = sys;
        this.explain = explain;
    }

    Runtime runtime() {
        return new Runtime(cs.runtimeRoot(), explain);
    }

    private ContainerLock lock(ContainerInfo c) {
        return ContainerLock.acquire(cs.dir(c.id()), c.name());
    }

    static String now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
    }

    /**
     * Starts a created or stopped container under its monitor and returns at once. {@code client}
     * is a socket the caller listens on to see all of the output (a foreground run), or null.
     */
    public ContainerInfo start(String ref, String client) {
        ContainerInfo c = cs.find(ref);
        try (ContainerLock l = lock(c)) {
            return startLocked(cs.find(c.id()), client, false).info();
        }
    }

    /** {@link #start} of a container this command has just created (nobody else knows it yet). */
    ContainerInfo startCreated(ContainerInfo c, String client) {
        try (ContainerLock l = lock(c)) {
            return startLocked(c, client, false).info();
        }
    }

    /**
     * A start for a foreground CLI listening on {@code client}: the runtime runs in the foreground
     * ({@code run --monitor}) and, told the exit by the monitor, deletes the container itself, so no
     * second runtime command is needed; returns once the container runs.
     */
    Started startAttached(ContainerInfo c, boolean fresh, String client) {
        try (ContainerLock l = lock(c)) {
            return startLocked(fresh ? c : cs.find(c.id()), client, false);
        }
    }

    /** A started container; {@code runtime} is the foreground runtime process, or null. */
    record Started(ContainerInfo info, Runtime.Foreground runtime) {
    }

    private Started startLocked(ContainerInfo c, String client, boolean byPolicy) {
        LiveState live = LiveState.of(cs, c);
        if (live.isUp()) {
            throw new EngineException("container " + c.name() + " is already running");
        }
        Path dir = cs.dir(c.id());
        Runtime rt = runtime();
        if (cs.active(c)) {
            rt.deleteForce(c.id()); // a runtime state left from the last run
        }
        MonitorFiles.clearRun(dir);
        PhaseTrace.mark("engine: start");
        UserNamespaces.mountRootfs(sys, new Snapshots(images), dir, c.name());
        PhaseTrace.mark("engine: rootfs mounted");
        Path config = writeMonitorConfig(c, client, rt);
        ContainerInfo running = c.running(now(), byPolicy);
        cs.save(running);
        try {
            Runtime.Foreground fg = null;
            if (client == null) {
                rt.runDetached(dir.resolve("bundle"), c.id(), config);
            } else {
                fg = rt.runForeground(dir.resolve("bundle"), c.id(), config, dir.resolve(MonitorFiles.PIDS));
            }
            PhaseTrace.mark("engine: runtime returned");
            return new Started(running, fg);
        } catch (RuntimeException e) {
            Rootfs.unmount(sys, dir.resolve("fs"));
            int code = e instanceof EngineException ee ? ee.exitCode() : EngineException.ENGINE;
            cs.save(c.status().equals("created") ? c : running.exited(code, now()));
            if (c.host().autoRemove()) {
                removeLocked(c, rt);
            }
            throw e;
        }
    }

    private Path writeMonitorConfig(ContainerInfo c, String client, Runtime rt) {
        Path dir = cs.dir(c.id());
        HostConfig h = c.host();
        List<String> exit = new ArrayList<>(List.of("/usr/bin/env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin",
                "LC_ALL=C.UTF-8"));
        for (String k : List.of("NIDO_JAR", "NIDO_JAVA_HOME", "NIDO_RUNTIME", "NIDO_SNAPSHOTTER")) {
            String v = System.getenv(k);
            if (v != null) {
                exit.add(k + "=" + v);
            }
        }
        exit.addAll(List.of(rt.engineLauncher().toString(), "--root", cs.root().toString(), "container", "cleanup",
                c.id()));
        // the runtime's MonitorConfig, written as a map (a record written by reflection costs a cold JVM ~30 ms)
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("dir", dir.toString());
        m.put("socket", cs.attachSocket(c.id()).toString());
        if (client != null) {
            m.put("client", client);
        }
        m.put("stdinOpen", h.interactive());
        m.put("logMaxSize", h.logMaxSize());
        m.put("logMaxFiles", h.logMaxFiles());
        m.put("exitCommand", exit);
        Path f = dir.resolve(MonitorFiles.CONFIG);
        dev.nido.image.store.AtomicFiles.write(f, Json.writePretty(m));
        return f;
    }

    /**
     * The monitor's exit command, also run by stop and by system check: once the init is gone,
     * unmounts the root filesystem, deletes the runtime's state, records the exit, removes an
     * {@code --rm} container, and starts it again when its restart policy says so. Does nothing
     * for a container that is still up or already cleaned up.
     */
    public void cleanup(String id) {
        ContainerInfo c;
        try {
            c = cs.find(id);
        } catch (EngineException gone) {
            return; // removed meanwhile (rm -f)
        }
        Decision d;
        try {
            d = finish(c);
        } catch (EngineException e) {
            if (!java.nio.file.Files.exists(cs.dir(c.id()).resolve("container.json"))) {
                return; // removed meanwhile
            }
            throw e;
        }
        boolean restart = d.restart();
        long delay = d.delay();
        if (restart) {
            sleep(delay); // outside the lock: stop and rm may come meanwhile
            try (ContainerLock l = lock(c)) {
                ContainerInfo now = cs.find(c.id());
                if (now.status().equals("restarting") && !now.stoppedByUser()) {
                    startLocked(statusOf(now, "exited"), null, true).info();
                } else if (now.status().equals("restarting")) {
                    cs.save(statusOf(now, "exited")); // stopped during the back-off
                }
            } catch (EngineException gone) {
                // removed or failing to start: its record says so
            }
        }
    }

    private record Decision(boolean restart, long delay) {
    }

    /** Under the lock: the ended container unmounted, recorded, removed (--rm); whether to restart it. */
    private Decision finish(ContainerInfo c) {
        try (ContainerLock l = lock(c)) {
            c = cs.find(c.id());
            LiveState live = LiveState.of(cs, c);
            if (live.isUp() || !(c.status().equals("running") || c.status().equals("paused"))) {
                return new Decision(false, 0);
            }
            PhaseTrace.mark("engine: cleanup");
            Runtime rt = runtime();
            int code = live.exitCode() == null ? -1 : live.exitCode();
            ContainerInfo ended = c.exited(code, live.finishedAt() == null ? now() : live.finishedAt());
            if (c.host().autoRemove()) {
                removeLocked(ended, rt);
                PhaseTrace.mark("engine: removed");
                return new Decision(false, 0);
            }
            if (cs.active(c)) {
                rt.deleteForce(c.id()); // not when a foreground runtime has deleted it already
            }
            Rootfs.unmount(sys, cs.dir(c.id()).resolve("fs"));
            boolean restart = c.host().restart().restarts(code, c.restartCount(), c.stoppedByUser());
            cs.save(restart ? statusOf(ended, "restarting") : ended);
            return new Decision(restart, RestartPolicy.delayMillis(c.restartCount()));
        }
    }

    private static ContainerInfo statusOf(ContainerInfo c, String status) {
        return new ContainerInfo(c.id(), c.name(), c.image(), c.imageId(), c.command(), c.created(), status,
                c.exitCode(), c.finished(), c.host(), c.started(), c.restartCount(), c.stoppedByUser());
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * {@code nido stop}: the stop signal, then SIGKILL after {@code timeout} seconds; returns once
     * the container has been cleaned up. The restart policy does not bring it back.
     */
    public void stop(String ref, Integer timeout) {
        ContainerInfo c = markStopped(cs.find(ref));
        LiveState live = LiveState.of(cs, c);
        if (live.state().equals("restarting")) {
            try (ContainerLock l = lock(c)) {
                cs.save(statusOf(cs.find(c.id()), "exited")); // its back-off ends without a start
            }
            return;
        }
        if (!live.isUp()) {
            cleanup(c.id());
            return;
        }
        Runtime rt = runtime();
        int secs = timeout != null ? timeout : c.host().stopTimeout();
        rt.call("kill", c.id(), c.host().stopSignal());
        if (live.state().equals("paused")) {
            rt.call("resume", c.id()); // a frozen init cannot act on its signal
        }
        if (!awaitDown(c, secs * 1000L)) {
            rt.call("kill", "--all", c.id(), "KILL");
            if (live.state().equals("paused")) {
                rt.call("resume", c.id());
            }
            if (!awaitDown(c, 10_000)) {
                throw new EngineException("container " + c.name() + " did not stop after SIGKILL (a process in"
                        + " uninterruptible sleep?): nido system check --repair will clean it up once it has");
            }
        }
        cleanup(c.id());
    }

    private ContainerInfo markStopped(ContainerInfo c) {
        try (ContainerLock l = lock(c)) {
            ContainerInfo now = cs.find(c.id()).markedStopped();
            cs.save(now);
            return now;
        }
    }

    /** Waits until the container's init is gone (its exit recorded, or its monitor and init dead). */
    boolean awaitDown(ContainerInfo c, long millis) {
        long end = System.nanoTime() + millis * 1_000_000;
        while (true) {
            LiveState s = LiveState.of(cs, cs.find(c.id()));
            if (!s.isUp()) {
                return true;
            }
            if (System.nanoTime() > end) {
                return false;
            }
            sleep(20);
        }
    }

    /** {@code nido kill}: a signal to the container's init (default KILL, as Docker's). */
    public void kill(String ref, String signal) {
        ContainerInfo c = cs.find(ref);
        if (!LiveState.of(cs, c).isUp()) {
            throw new EngineException("container " + c.name() + " is not running");
        }
        if (signal.equalsIgnoreCase("KILL") || signal.equalsIgnoreCase("SIGKILL") || signal.equals("9")) {
            markStopped(c);
        }
        runtime().must("kill", c.id(), signal);
    }

    /** {@code nido wait}: blocks until the container has stopped; returns its exit status. */
    public int await(String ref) {
        ContainerInfo c = cs.find(ref);
        while (true) {
            c = cs.find(c.id());
            LiveState s = LiveState.of(cs, c);
            if (!s.isUp() && !s.state().equals("restarting")) {
                return s.exitCode() == null ? (s.state().equals("created") ? 0 : -1) : s.exitCode();
            }
            sleep(25);
        }
    }

    /** {@code nido pause} / {@code unpause}: the freezer, through the runtime. */
    public void pause(String ref, boolean pause) {
        ContainerInfo c = cs.find(ref);
        try (ContainerLock l = lock(c)) {
            c = cs.find(c.id());
            LiveState s = LiveState.of(cs, c);
            if (pause ? !s.state().equals("running") : !s.state().equals("paused")) {
                throw new EngineException("container " + c.name() + " is " + s.state() + (pause
                        ? ": only a running container can be paused" : ": only a paused container can be unpaused"));
            }
            runtime().must(pause ? "pause" : "resume", c.id());
            cs.save(statusOf(c, pause ? "paused" : "running"));
        }
    }

    /** {@code nido rm}: a running container only with {@code force} (it is killed first). */
    public void remove(String ref, boolean force) {
        ContainerInfo c = cs.find(ref);
        if (LiveState.of(cs, c).isUp()) {
            if (!force) {
                throw new EngineException("container " + c.name() + " is running: stop it first, or nido rm -f "
                        + c.name());
            }
            c = markStopped(c);
            runtime().call("kill", "--all", c.id(), "KILL");
            awaitMonitorGone(c);
        }
        try (ContainerLock l = lock(c)) {
            removeLocked(c, runtime());
        }
    }

    /** Lets a killed container's monitor write its record and exit before its directory goes. */
    private void awaitMonitorGone(ContainerInfo c) {
        long end = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < end) {
            MonitorFiles.Pids p = MonitorFiles.pids(cs.dir(c.id()));
            if (p == null || !p.monitorAlive()) {
                return;
            }
            sleep(20);
        }
    }

    void removeLocked(ContainerInfo c, Runtime rt) {
        try {
            java.nio.file.Files.deleteIfExists(cs.dir(c.id()).resolve("container.json")); // gone for everyone now
        } catch (java.io.IOException e) {
            throw new EngineException("remove container " + c.name() + ": " + e.getMessage(), e);
        }
        // the runtime's delete (a JVM start) runs while the root filesystem goes
        Thread delete = Thread.ofPlatform().start(() -> {
            if (cs.active(c)) {
                rt.deleteForce(c.id());
            }
        });
        try {
            Rootfs.unmount(sys, cs.dir(c.id()).resolve("fs"));
        } finally {
            join(delete);
        }
        try {
            java.nio.file.Files.deleteIfExists(cs.attachSocket(c.id()));
        } catch (java.io.IOException e) {
            // the monitor removes it; a leftover is harmless
        }
        Snapshots.removeTree(cs.dir(c.id()));
    }
}
