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

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * {@code nido run} in the foreground: the image's root filesystem (an overlay of its shared
 * snapshots), a bundle whose config.json comes from the image and the flags, then
 * {@code nido-runtime run}; the exit status is the container's. With {@code --rm} nothing is kept.
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

    public int run(String imageName, RunOptions o, Consumer<String> log) {
        ContainerInfo info = create(imageName, o, log);
        return start(info, o.remove());
    }

    /** {@code nido create}: the record, the root filesystem and the bundle; nothing runs. */
    public ContainerInfo create(String imageName, RunOptions o, Consumer<String> log) {
        Image image = image(imageName, log);
        ContainerInfo info = containers.create(o.name(), image.name() == null ? imageName
                : dev.nido.image.store.Reference.parse(image.name()).familiar(), image.id().toString(), o.command());
        Path dir = containers.dir(info.id());
        try {
            Path rootfs = Rootfs.create(sys, new Snapshots(images), image, dir.resolve("fs"), log);
            RuntimeSpec spec = SpecFromImage.build(image, o, rootfs, info.id());
            Path bundle = Files.createDirectories(dir.resolve("bundle"));
            Files.write(bundle.resolve("config.json"), SpecReader.write(spec));
            Rootfs.unmount(sys, dir.resolve("fs"));
            return info;
        } catch (IOException | RuntimeException e) {
            remove(info, new Runtime(containers.runtimeRoot(), false));
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new EngineException("container " + info.name() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Runs a created or exited container in the foreground (its root filesystem mounted again, with
     * its earlier changes); returns the command's exit status.
     */
    public int start(ContainerInfo info, boolean remove) {
        if (containers.active(info) && "running".equals(info.status())) {
            throw new EngineException("container " + info.name() + " is already running");
        }
        Path dir = containers.dir(info.id());
        Runtime runtime = new Runtime(containers.runtimeRoot(), explain);
        boolean removed = false;
        try {
            Rootfs.remount(sys, new Snapshots(images), dir.resolve("fs"));
            containers.save(info.running());
            int code = runtime.run(dir.resolve("bundle"), info.id());
            containers.save(info.exited(code, java.time.Instant.now().truncatedTo(
                    java.time.temporal.ChronoUnit.SECONDS).toString()));
            if (remove) {
                remove(info, runtime);
                removed = true;
            } else {
                runtime.deleteForce(info.id());
            }
            return code;
        } finally {
            if (!removed && remove) {
                remove(info, runtime);
            } else if (!removed) {
                Rootfs.unmount(sys, dir.resolve("fs")); // its changes stay in the upper directory
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
        if (containers.active(src) && "running".equals(src.status())) {
            throw new EngineException("container " + src.name() + " is running: clone it when it has stopped");
        }
        Path from = containers.dir(src.id());
        ContainerInfo copy = containers.create(newName, src.image(), src.imageId(), src.command());
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
        ContainerInfo c = containers.find(ref);
        if (containers.active(c) && "running".equals(c.status()) && !force) {
            throw new EngineException("container " + c.name() + " is running: stop it first, or nido rm -f " + c.name());
        }
        remove(c, new Runtime(containers.runtimeRoot(), explain));
    }
}
