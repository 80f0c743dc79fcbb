package dev.nido.cli.engine;

import dev.nido.cli.args.CommandSpec;
import dev.nido.cli.args.Parsed;
import dev.nido.image.ImageException;
import dev.nido.image.snapshot.Rootfs;
import dev.nido.image.snapshot.Snapshots;
import dev.nido.image.store.Image;
import dev.nido.linux.Syscalls;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;

/** image mount, image unmount: an image's root filesystem as a writable overlay, without a container. */
final class MountVerbs {
    static final EngineVerb MOUNT = new EngineVerb(new CommandSpec("image-mount", List.of(
            "Mount an image's root filesystem (a writable overlay on its shared, read-only layers; a copy where",
            "overlayfs cannot be used, e.g. for another user than root); prints the path.",
            "", "Example:", "  dir=$(nido image mount busybox) && ls $dir && nido image unmount $dir"),
            List.of(ImageVerbs.PLATFORM), List.of("IMAGE"), List.of(), null), MountVerbs::mount);

    static final EngineVerb UNMOUNT = new EngineVerb(new CommandSpec("image-unmount", List.of(
            "Unmount what 'nido image mount' mounted and delete its changes.", "", "Example:",
            "  nido image unmount /var/lib/nido/mounts/0123abcd/rootfs"),
            List.of(), List.of("PATH"), List.of(), null), MountVerbs::unmount);

    private MountVerbs() {
    }

    static Path mountsDir(EngineCli top) {
        return top.context().root().resolve("mounts");
    }

    private static int mount(Parsed a, EngineCli top) {
        Image img = top.context().images().resolve(a.positional(0), ImageVerbs.platform(a));
        byte[] id = new byte[6];
        new java.security.SecureRandom().nextBytes(id);
        Path dir = mountsDir(top).resolve(HexFormat.of().formatHex(id));
        Syscalls sys = Syscalls.real();
        try {
            Path rootfs = Rootfs.create(sys, new Snapshots(top.context().images()), img, dir, System.err::println);
            System.out.println(rootfs);
            return 0;
        } catch (RuntimeException e) {
            Rootfs.remove(sys, dir);
            throw e;
        }
    }

    private static int unmount(Parsed a, EngineCli top) {
        Path p = Path.of(a.positional(0)).toAbsolutePath().normalize();
        Path dir = p.getFileName() != null && p.getFileName().toString().equals("rootfs") ? p.getParent() : p;
        if (!dir.startsWith(mountsDir(top).toAbsolutePath()) || !Rootfs.isRootfsDir(dir)) {
            throw new ImageException(a.positional(0) + " is not a mount made by 'nido image mount' under "
                    + mountsDir(top));
        }
        Rootfs.remove(Syscalls.real(), dir);
        return 0;
    }
}
