package dev.nido.engine;

import dev.nido.image.ImageException;
import dev.nido.image.snapshot.Rootfs;
import dev.nido.image.snapshot.Snapshots;
import dev.nido.image.store.Image;
import dev.nido.image.store.ImageStore;
import dev.nido.image.template.TemplateRunner;
import dev.nido.image.template.Templates;
import dev.nido.linux.Syscalls;
import dev.nido.oci.Platform;
import dev.nido.oci.RuntimeSpec;
import dev.nido.oci.SpecReader;
import dev.nido.runtime.PhaseTrace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;

/**
 * {@code nido run}, {@code create} and {@code clone}: the image's root filesystem (an overlay of
 * its shared snapshots), a bundle whose config.json comes from the image and the flags, then a
 * start under the container's monitor ({@link Lifecycle}); in the foreground the exit status is
 * the container's. With {@code --rm} nothing is kept.
 */
public final class RunCommand {
    private final ImageStore images;
    private final Containers containers;
    private final Syscalls sys;
    private final Path cacheRoot;
    private final boolean explain;

    public RunCommand(ImageStore images, Containers containers, Syscalls sys, Path cacheRoot, boolean explain) {
        this.images = images;
        this.containers = containers;
        this.sys = sys;
        this.cacheRoot = cacheRoot;
        this.explain = explain;
    }

    /**
     * {@code nido run}: creates the container and starts it under its monitor. In the foreground
     * ({@code session} not null) the session gets the monitor's connection, made before the
     * container ran, and returns the exit status; detached, returns 0 once it runs.
     */
    public int run(String imageName, RunOptions o, Consumer<String> log, ToIntFunction<AttachClient> session) {
        ContainerInfo info = create(imageName, o, log, true);
        if (session == null) {
            lifecycle().startCreated(info, null);
            return 0;
        }
        return startAttached(info, session, true);
    }

    /** {@code nido run -d}: created and started under its monitor; returns at once. */
    public ContainerInfo runDetached(String imageName, RunOptions o, Consumer<String> log) {
        ContainerInfo info = create(imageName, o, log, true);
        return lifecycle().startCreated(info, null);
    }

    /** {@code nido create}: the record, the root filesystem and the bundle; nothing runs. */
    public ContainerInfo create(String imageName, RunOptions o, Consumer<String> log) {
        return create(imageName, o, log, false);
    }

    /** {@code mounted}: the root filesystem stays mounted for a start that follows at once. */
    ContainerInfo create(String imageName, RunOptions o, Consumer<String> log, boolean keepMounted) {
        boolean mounted = keepMounted;
        PhaseTrace.mark("engine: create");
        Image image = image(imageName, log);
        PhaseTrace.mark("engine: image resolved");
        ContainerInfo info = containers.create(o.name(), image.name() == null ? imageName
                : dev.nido.image.store.Reference.parse(image.name()).familiar(), image.id().toString(), o.command(),
                hostConfig(o, image, null));
        Path dir = containers.dir(info.id());
        try {
            PhaseTrace.mark("engine: record claimed");
            Path rootfs = Rootfs.create(sys, new Snapshots(images), image, dir.resolve("fs"), log);
            PhaseTrace.mark("engine: rootfs mounted");
            RuntimeSpec spec = SpecFromImage.build(image, o, rootfs, info.id());
            Long idCount = UserNamespaces.size(o.extra().userns());
            if (idCount != null) {
                // the next start mounts the layers id-mapped; the store lock keeps two creates from one range
                try (var l = dev.nido.image.store.StoreLock.acquire(containers.root().resolve("userns.lock"))) {
                    spec = UserNamespaces.apply(spec, UserNamespaces.allocate(containers, idCount), idCount);
                    Files.createDirectories(dir.resolve("bundle"));
                    Files.write(dir.resolve("bundle/config.json"), SpecReader.write(spec));
                }
                mounted = false;
            }
            UserNamespaces.checkVolumes(spec);
            PhaseTrace.mark("engine: spec built");
            if (o.extra().system()) {
                info = withHost(info, hostConfig(o, image, rootfs));
                containers.save(info);
            }
            Path bundle = Files.createDirectories(dir.resolve("bundle"));
            Files.write(bundle.resolve("config.json"), SpecReader.write(spec));
            if (!mounted) {
                Rootfs.unmount(sys, dir.resolve("fs"));
            }
            PhaseTrace.mark("engine: created");
            return info;
        } catch (IOException | RuntimeException e) {
            remove(info, new Runtime(containers.runtimeRoot(), false));
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new EngineException("container " + info.name() + ": " + e.getMessage(), e);
        }
    }

    private static ContainerInfo withHost(ContainerInfo c, HostConfig h) {
        return new ContainerInfo(c.id(), c.name(), c.image(), c.imageId(), c.command(), c.created(), c.status(),
                c.exitCode(), c.finished(), h, c.started(), c.restartCount(), c.stoppedByUser());
    }

    /** How the container runs; {@code rootfs} (when mounted) tells a system container's init. */
    static HostConfig hostConfig(RunOptions o, Image image, Path rootfs) {
        RunOptions.Extra x = o.extra();
        String imageSignal = image.config().config() == null ? null : image.config().config().stopSignal();
        String signal = x.stopSignal() != null ? x.stopSignal() : x.system() && rootfs != null
                ? SystemContainers.stopSignal(rootfs) : imageSignal;
        if (signal != null) {
            signal = signal.toUpperCase(java.util.Locale.ROOT).replaceFirst("^SIG", "");
            try {
                dev.nido.linux.Signals.parse(signal);
            } catch (RuntimeException e) {
                throw new EngineException("--stop-signal " + signal + ": not a signal (e.g. TERM, INT, RTMIN+3, 15)");
            }
        }
        if (o.remove() && !x.restart().name().equals("no")) {
            throw new EngineException("--rm and --restart " + x.restart() + " conflict: a removed container cannot"
                    + " be restarted");
        }
        return new HostConfig(o.remove(), x.restart(), signal, x.stopTimeout() == null ? 10 : x.stopTimeout(),
                o.tty() || x.system(), x.interactive() || x.system(), x.system(),
                x.logMaxSize() == null ? 0 : x.logMaxSize(), x.logMaxFiles() == null ? 0 : x.logMaxFiles());
    }

    public Lifecycle lifecycle() {
        return new Lifecycle(images, containers, sys, explain);
    }

    /**
     * Starts a container with the caller attached from its first byte of output: a socket the
     * monitor connects to before the container runs. Once the session has the exit status, the
     * container is cleaned up here (unmounted, or removed with --rm) rather than waiting for the
     * monitor's exit command.
     */
    public int startAttached(ContainerInfo info, ToIntFunction<AttachClient> session) {
        return startAttached(info, session, false);
    }

    private int startAttached(ContainerInfo info, ToIntFunction<AttachClient> session, boolean fresh) {
        Lifecycle lc = lifecycle();
        try (AttachClient.Listener l = new AttachClient.Listener(containers.clientSocket(info.id()))) {
            Lifecycle.Started started = lc.startAttached(info, fresh, l.path().toString());
            try (AttachClient c = l.accept()) {
                c.send(AttachProtocol.empty(AttachProtocol.WILL_CLEAN));
                int code = session.applyAsInt(c);
                if (code >= 0 && c.sawExit()) {
                    started.runtime().waitFor(); // it deletes the container's runtime state
                    lc.cleanup(info.id());
                    c.send(AttachProtocol.empty(AttachProtocol.CLEANED));
                }
                return code;
            }
        }
    }

    /** The image, made from its template when it is a template's default name and not stored yet (offline start). */
    private Image image(String name, Consumer<String> log) {
        try {
            return images.resolve(name, Platform.host());
        } catch (ImageException e) {
            if (name.equals("busybox") || name.equals("busybox:latest")) {
                log.accept("image busybox is not in the store: making it from the busybox template");
                return TemplateRunner.create(images, Templates.byName("busybox"), java.util.Map.of(), null, cacheRoot,
                        log);
            }
            throw new EngineException(e.getMessage() + "; nido pull " + name + " fetches it from a registry");
        }
    }

    /** {@code --template NAME}: the name of that template's image, made first when the store lacks it. */
    public String fromTemplate(String template, Consumer<String> log) {
        var t = Templates.byName(template);
        String name = t.defaultImageName(java.util.Map.of());
        try {
            images.resolve(name, Platform.host());
        } catch (ImageException missing) {
            log.accept("image " + name + " is not in the store: making it from the " + template + " template");
            TemplateRunner.create(images, t, java.util.Map.of(), null, cacheRoot, log);
        }
        return name;
    }

    void remove(ContainerInfo info, Runtime runtime) {
        runtime.deleteForce(info.id());
        Rootfs.remove(sys, containers.dir(info.id()).resolve("fs"));
        dev.nido.image.snapshot.Snapshots.removeTree(containers.dir(info.id()));
    }

    /**
     * {@code nido clone SOURCE NEW} (LXC's lxc-copy): a new container on the same image snapshots
     * with a copy of the source's changes (its upper directory, reflinked where the file system can)
     * and its config, but its own host name; the source must not be running.
     */
    public ContainerInfo clone(String sourceRef, String newName) {
        ContainerInfo src = containers.find(sourceRef);
        if (LiveState.of(containers, src).isUp()) {
            throw new EngineException("container " + src.name() + " is running: clone it when it has stopped");
        }
        Path from = containers.dir(src.id());
        ContainerInfo copy = containers.create(newName, src.image(), src.imageId(), src.command(), src.host());
        Path to = containers.dir(copy.id());
        try {
            Rootfs.unmount(sys, from.resolve("fs"));
            Files.createDirectories(to.resolve("fs"));
            for (String part : new String[] {"upper", "layers", "snapshotter"}) {
                if (Files.exists(from.resolve("fs").resolve(part))) {
                    Snapshots.copyTree(from.resolve("fs").resolve(part), to.resolve("fs").resolve(part));
                }
            }
            if (Rootfs.isCopy(from.resolve("fs"))) {
                Snapshots.copyTree(from.resolve("fs/rootfs"), to.resolve("fs/rootfs"));
            } else {
                Files.createDirectories(to.resolve("fs/work"));
                Files.createDirectories(to.resolve("fs/rootfs"));
            }
            RuntimeSpec spec = SpecReader.parse(Files.readAllBytes(from.resolve("bundle/config.json")), "config.json");
            spec = spec.withRoot(new dev.nido.oci.Root(to.resolve("fs/rootfs").toString(), spec.root().readonly()))
                    .withHostname(copy.id().substring(0, 12));
            Files.createDirectories(to.resolve("bundle"));
            Files.write(to.resolve("bundle/config.json"), SpecReader.write(spec));
            return copy;
        } catch (IOException | RuntimeException e) {
            remove(copy, new Runtime(containers.runtimeRoot(), false));
            throw e instanceof EngineException ee ? ee : new EngineException("clone " + src.name() + ": " + e.getMessage(), e);
        }
    }

    /** {@code nido rm}: refuses a running container unless forced. */
    public void rm(String ref, boolean force) {
        lifecycle().remove(ref, force);
    }
}
