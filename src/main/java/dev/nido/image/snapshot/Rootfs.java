package dev.nido.image.snapshot;

import dev.nido.image.ImageException;
import dev.nido.image.store.Digest;
import dev.nido.image.store.Image;
import dev.nido.linux.Fd;
import dev.nido.linux.LinuxException;
import dev.nido.linux.Syscalls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A writable root filesystem made from an image without copying it: an overlayfs mount of the
 * image's snapshots (read-only, shared by every user of the image) under a private upper
 * directory. Its directory holds {@code rootfs/} (the mount point), {@code upper/}, {@code work/}
 * and {@code layers} (the snapshot ids it uses, one per line, so a prune keeps them).
 */
public final class Rootfs {
    private static final String LAYERS = "layers";
    private static final String KIND = "snapshotter";

    private Rootfs() {
    }

    /** Prepares {@code dir} for {@code image} (unpacking missing layers) and mounts it; returns the mount point. */
    public static Path create(Syscalls sys, Snapshots snapshots, Image image, Path dir,
                              java.util.function.Consumer<String> log) {
        List<Path> lowers = snapshots.prepare(image, log);
        List<Digest> chain = ChainId.of(image.config().diffIds());
        boolean copy = snapshots.kind() == Snapshots.Kind.COPY;
        try {
            Files.createDirectories(dir);
            StringBuilder ids = new StringBuilder();
            chain.forEach(c -> ids.append(c.hex()).append('\n'));
            dev.nido.image.store.AtomicFiles.write(dir.resolve(LAYERS), ids.toString().getBytes());
            dev.nido.image.store.AtomicFiles.write(dir.resolve(KIND), (copy ? "copy\n" : "overlay\n").getBytes());
            if (copy) {
                if (lowers.isEmpty()) {
                    Files.createDirectories(dir.resolve("rootfs"));
                } else {
                    Snapshots.copyTree(lowers.getLast(), dir.resolve("rootfs"));
                }
                return dir.resolve("rootfs");
            }
            Files.createDirectories(dir.resolve("upper"));
            Files.createDirectories(dir.resolve("work"));
            Files.createDirectories(dir.resolve("rootfs"));
        } catch (IOException e) {
            throw new ImageException("prepare " + dir + ": " + dev.nido.image.IoErrors.describe(e), e);
        }
        mount(sys, lowers, dir);
        return dir.resolve("rootfs");
    }

    static void mount(Syscalls sys, List<Path> lowersBaseFirst, Path dir) {
        mount(sys, lowersBaseFirst, dir, dir);
    }

    /** The overlay on {@code dir/rootfs}, its upper and work directories under {@code rw}. */
    private static void mount(Syscalls sys, List<Path> lowersBaseFirst, Path rw, Path dir) {
        List<Path> top = new ArrayList<>(lowersBaseFirst);
        java.util.Collections.reverse(top);
        StringBuilder lower = new StringBuilder();
        for (Path p : top) {
            String s = p.toString();
            if (s.contains(":") || s.contains(",")) {
                throw new ImageException(p + ": overlayfs cannot take a path with ':' or ','");
            }
            lower.append(lower.isEmpty() ? "" : ":").append(s);
        }
        if (top.isEmpty()) {
            // an image without layers (FROM scratch): an empty read-only lower directory
            lower.append(dir.resolve("empty"));
            try {
                Files.createDirectories(dir.resolve("empty"));
            } catch (IOException e) {
                throw new ImageException("prepare " + dir + ": " + dev.nido.image.IoErrors.describe(e), e);
            }
        }
        // redirect_dir and metacopy off: the upper directory must stay a plain layer diff
        String data = "lowerdir=" + lower + ",upperdir=" + rw.resolve("upper") + ",workdir=" + rw.resolve("work")
                + ",redirect_dir=off,metacopy=off";
        if (data.length() > 4000) {
            throw new ImageException("the image has too many layers (" + top.size() + ") for one overlayfs mount option"
                    + " of at most a page; flatten it (nido export | nido import)");
        }
        try {
            sys.mount("overlay", dir.resolve("rootfs"), "overlay", 0, data);
        } catch (LinuxException e) {
            throw new ImageException("mount the image's root filesystem on " + dir.resolve("rootfs") + ": "
                    + e.getMessage() + (dev.nido.runtime.Identity.isRoot() ? "" : " (overlay mounts need root here)"), e);
        }
    }

    /**
     * Mounts an existing root filesystem directory again (a stopped container started again): its
     * snapshots come from its {@code layers} file, its changes from its upper directory. A copied
     * root filesystem needs nothing.
     */
    public static Path remount(Syscalls sys, Snapshots snapshots, Path dir) {
        if (isCopy(dir) || mounted(dir.resolve("rootfs"))) {
            return dir.resolve("rootfs");
        }
        mount(sys, layerDirs(snapshots, dir), dir);
        return dir.resolve("rootfs");
    }

    /** The snapshot directories of a root filesystem's layers, base first; all must still be there. */
    private static List<Path> layerDirs(Snapshots snapshots, Path dir) {
        List<Path> out = new ArrayList<>();
        for (Digest d : layers(dir)) {
            Path fs = snapshots.dir().resolve(d.hex()).resolve("fs");
            if (!Files.isDirectory(fs)) {
                throw new ImageException("layer " + d.shortHex() + " of " + dir + " is no longer in the store"
                        + " (its snapshot was removed): the container cannot start again");
            }
            out.add(fs);
        }
        return out;
    }

    /**
     * {@link #remount} for a container in a user namespace: every shared layer is id-mapped through
     * {@code userns} (open_tree + mount_setattr, each a detached mount used as /proc/self/fd/N)
     * before the overlay is made of them, so that files owned by host root belong to the
     * container's root and no shared file is chowned (overlayfs on id-mapped layers, Linux 5.19+).
     * The upper directory is the container's own and stays plain: overlayfs creates its work
     * files with the mounter's (host root's) ids, which an id-mapped upper could not store
     * (EOVERFLOW); what the container writes there keeps the host ids of its range, and the upper
     * directory itself belongs to the container's root ({@code rootUid}/{@code rootGid}), so that
     * {@code /} does too. A root filesystem mounted without the mapping is mounted again.
     */
    public static Path remountIdmapped(Syscalls sys, Snapshots snapshots, Path dir, Fd userns, int rootUid,
                                       int rootGid) {
        if (isCopy(dir)) {
            throw new ImageException(dir + " is a copied root filesystem (NIDO_SNAPSHOTTER=copy): only overlay"
                    + " snapshots can be id-mapped for a user namespace");
        }
        unmount(sys, dir);
        sys.lchown(dir.resolve("upper"), rootUid, rootGid);
        List<Fd> trees = new ArrayList<>();
        try {
            List<Path> lowers = new ArrayList<>();
            for (Path fs : layerDirs(snapshots, dir)) {
                trees.add(sys.idmappedTree(fs, userns));
                lowers.add(Path.of("/proc/self/fd/" + trees.getLast().value()));
            }
            mount(sys, lowers, dir, dir);
            return dir.resolve("rootfs");
        } catch (LinuxException e) {
            throw new ImageException("id-map the layers of " + dir + ": " + e.getMessage()
                    + " (overlayfs on id-mapped layers needs Linux 5.19 or later)", e);
        } finally {
            trees.forEach(sys::close); // the overlay holds its own references to the layers
        }
    }

    /** Unmounts (lazily if busy) and removes the directory. */
    public static void remove(Syscalls sys, Path dir) {
        unmount(sys, dir);
        Snapshots.removeTree(dir);
    }

    /** Unmounts the root filesystem, keeping its changes in the upper directory (a stopped container). */
    public static void unmount(Syscalls sys, Path dir) {
        Path mnt = dir.resolve("rootfs");
        if (mounted(mnt)) {
            try {
                sys.umount(mnt, 0);
            } catch (LinuxException e) {
                sys.umount(mnt, 2); // MNT_DETACH: gone once its last user is
            }
        }
    }

    /** Whether {@code dir} holds a copied root filesystem (no mount, no upper directory). */
    public static boolean isCopy(Path dir) {
        try {
            return Files.readString(dir.resolve(KIND)).strip().equals("copy");
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether {@code dir} was made by {@link #create}. */
    public static boolean isRootfsDir(Path dir) {
        return Files.isRegularFile(dir.resolve(LAYERS));
    }

    /** The snapshot ids a rootfs directory uses. */
    public static List<Digest> layers(Path dir) {
        List<Digest> out = new ArrayList<>();
        try {
            for (String l : Files.readAllLines(dir.resolve(LAYERS))) {
                if (l.length() == 64) {
                    out.add(new Digest(l));
                }
            }
        } catch (IOException e) {
            // not (yet) a rootfs directory
        }
        return out;
    }

    /** Whether {@code p} is a mount point (in this mount namespace, by /proc/self/mountinfo). */
    public static boolean mounted(Path p) {
        String want = p.toAbsolutePath().normalize().toString();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] f = line.split(" ");
                if (f.length > 4 && f[4].replace("\\040", " ").equals(want)) {
                    return true;
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }
}
