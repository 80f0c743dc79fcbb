package dev.nido.engine;

import dev.nido.image.check.Findings;
import dev.nido.image.snapshot.Rootfs;
import dev.nido.image.snapshot.Snapshots;
import dev.nido.image.store.ImageStore;
import dev.nido.linux.Syscalls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code nido system check} for containers: what a kill -9 of a monitor, an init or a CLI left:
 * containers whose monitor died (the init is stopped, the exit recorded as unknown), records
 * without a process, root filesystems still mounted, runtime states and sockets without a
 * container, directories without a record. A container that another nido command holds (its lock)
 * is left alone.
 */
public final class ContainerCheck {
    private final ImageStore images;
    private final Containers cs;
    private final Syscalls sys;
    private final Findings found;

    private ContainerCheck(ImageStore images, Containers cs, Syscalls sys, boolean repair) {
        this.images = images;
        this.cs = cs;
        this.sys = sys;
        this.found = new Findings(repair);
    }

    public static List<Findings.Problem> run(ImageStore images, Containers cs, Syscalls sys, boolean repair) {
        ContainerCheck c = new ContainerCheck(images, cs, sys, repair);
        c.containers();
        c.orphanDirs();
        c.runtimeStates();
        c.sockets();
        return c.found.list();
    }

    private void problem(String what, Path path, Runnable fix) {
        found.problem(what, path, fix);
    }

    private Lifecycle lifecycle() {
        return new Lifecycle(images, cs, sys, false);
    }

    private void containers() {
        for (ContainerInfo c : cs.list()) {
            Path dir = cs.dir(c.id());
            if (ContainerLock.held(dir)) {
                continue;
            }
            LiveState s = LiveState.of(cs, c);
            switch (s.state()) {
                case "unmonitored" -> problem("container " + c.name() + ": its monitor is gone and its init (pid "
                        + s.pid() + ") runs on without logs or exit record", dir, () -> {
                            lifecycle().runtime().call("kill", "--all", c.id(), "KILL");
                            awaitInitGone(c);
                            lifecycle().cleanup(c.id());
                        });
                case "dead" -> problem("container " + c.name() + " is recorded as " + c.status()
                        + " but has no monitor and no process", dir, () -> lifecycle().cleanup(c.id()));
                case "exited" -> {
                    MonitorFiles.Pids p = MonitorFiles.pids(dir);
                    if (p != null && p.monitorAlive()) {
                        continue; // its monitor (now running its exit command) is cleaning it up
                    }
                    if (c.status().equals("running") || c.status().equals("paused")) {
                        problem("container " + c.name() + " exited but was not cleaned up (its monitor's exit command"
                                + " did not run)", dir, () -> lifecycle().cleanup(c.id()));
                    } else {
                        stray(c, dir);
                    }
                }
                case "created", "restarting" -> stray(c, dir);
                default -> { }
            }
        }
    }

    /** A stopped container must have no mount and no runtime state. */
    private void stray(ContainerInfo c, Path dir) {
        if (Rootfs.mounted(dir.resolve("fs/rootfs"))) {
            problem("container " + c.name() + " is stopped but its root filesystem is mounted", dir,
                    () -> Rootfs.unmount(sys, dir.resolve("fs")));
        }
        if (cs.active(c)) {
            problem("container " + c.name() + " is stopped but the runtime still has its state", dir,
                    () -> lifecycle().runtime().deleteForce(c.id()));
        }
    }

    private void awaitInitGone(ContainerInfo c) {
        for (int i = 0; i < 500; i++) {
            MonitorFiles.Pids p = MonitorFiles.pids(cs.dir(c.id()));
            if (p == null || !p.initAlive()) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void orphanDirs() {
        for (Path d : list(cs.dir("x").getParent())) {
            if (!Files.exists(d.resolve("container.json")) && !ContainerLock.held(d)) {
                problem("directory " + d.getFileName() + " has no container record (a create or rm was killed)", d,
                        () -> {
                            Rootfs.remove(sys, d.resolve("fs"));
                            Snapshots.removeTree(d);
                        });
            }
        }
    }

    private void runtimeStates() {
        for (Path r : list(cs.runtimeRoot())) {
            if (Files.isDirectory(r) && !Files.exists(cs.dir(r.getFileName().toString()).resolve("container.json"))) {
                problem("the runtime has state for " + r.getFileName() + ", which is no container of this store", r,
                        () -> lifecycle().runtime().deleteForce(r.getFileName().toString()));
            }
        }
    }

    private void sockets() {
        List<String> ids = cs.list().stream().map(c -> c.id().substring(0, 12)).toList();
        for (Path s : list(cs.root().resolve("sock"))) {
            String name = s.getFileName().toString();
            String owner = name.length() >= 12 ? name.substring(0, 12) : name;
            if (!ids.contains(owner)) {
                problem("socket " + name + " belongs to no container", s, () -> delete(s));
            }
        }
    }

    private static void delete(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new EngineException("remove " + p + ": " + e.getMessage(), e);
        }
    }

    private static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw new EngineException("list " + dir + ": " + e.getMessage(), e);
        }
    }
}
