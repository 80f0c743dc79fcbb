package dev.nido.engine;

import dev.nido.image.build.InRoot;
import dev.nido.image.snapshot.Rootfs;
import dev.nido.image.snapshot.Snapshots;
import dev.nido.image.store.ImageStore;
import dev.nido.linux.Syscalls;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * {@code nido cp}: files into and out of a container's root filesystem, running or stopped. Paths
 * in the container are resolved as if its root were {@code /} (a symlink in the container can never
 * lead the copy to the host), symlinks are copied as symlinks and never followed, and an existing
 * symlink at a destination in the container is replaced, not written through.
 */
public final class CopyCommand {
    private final ImageStore images;
    private final Containers containers;
    private final Syscalls sys;

    public CopyCommand(ImageStore images, Containers containers, Syscalls sys) {
        this.images = images;
        this.containers = containers;
        this.sys = sys;
    }

    /** One side of a copy: CONTAINER:PATH, or a host path (container null). */
    record Side(String container, String path) {
        static Side parse(String arg) {
            int colon = arg.indexOf(':');
            if (colon > 0 && !arg.startsWith("/") && !arg.startsWith(".")) {
                return new Side(arg.substring(0, colon), arg.substring(colon + 1));
            }
            return new Side(null, arg);
        }
    }

    public void copy(String src, String dst) {
        Side s = Side.parse(src);
        Side d = Side.parse(dst);
        if ((s.container() == null) == (d.container() == null)) {
            throw new EngineException("cp " + src + " " + dst + ": exactly one side must be CONTAINER:PATH");
        }
        ContainerInfo c = containers.find(s.container() != null ? s.container() : d.container());
        Path fs = containers.dir(c.id()).resolve("fs");
        boolean mountedBefore = Rootfs.mounted(fs.resolve("rootfs"));
        Path rootfs = Rootfs.remount(sys, new Snapshots(images), fs);
        try {
            if (s.container() != null) {
                out(rootfs, s.path(), Path.of(d.path()), c.name());
            } else {
                in(Path.of(s.path()), rootfs, d.path(), c.name());
            }
        } catch (IOException e) {
            throw new EngineException("cp " + src + " " + dst + ": " + dev.nido.image.IoErrors.describe(e), e);
        } finally {
            if (!mountedBefore) {
                Rootfs.unmount(sys, fs);
            }
        }
    }

    private static void out(Path rootfs, String inPath, Path host, String name) throws IOException {
        Path from = InRoot.resolve(rootfs, inPath, false);
        if (!Files.exists(from, LinkOption.NOFOLLOW_LINKS)) {
            throw new EngineException(name + ":" + inPath + ": no such file or directory in the container");
        }
        Path to = Files.isDirectory(host) ? host.resolve(from.getFileName().toString()) : host;
        tree(from, to, false);
    }

    private static void in(Path host, Path rootfs, String inPath, String name) throws IOException {
        if (!Files.exists(host, LinkOption.NOFOLLOW_LINKS)) {
            throw new EngineException(host + ": no such file or directory");
        }
        Path dest = InRoot.resolve(rootfs, inPath, true);
        Path to = Files.isDirectory(dest, LinkOption.NOFOLLOW_LINKS) ? dest.resolve(host.getFileName().toString()) : dest;
        if (!Files.isDirectory(to.getParent(), LinkOption.NOFOLLOW_LINKS)) {
            throw new EngineException(name + ":" + inPath + ": the directory it goes into does not exist in the container");
        }
        tree(host, to, true);
    }

    /** Copies {@code from} to {@code to} entry by entry, never following a symlink on either side. */
    private static void tree(Path from, Path to, boolean intoContainer) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Path t = target(dir);
                if (Files.isSymbolicLink(t) || Files.exists(t, LinkOption.NOFOLLOW_LINKS)
                        && !Files.isDirectory(t, LinkOption.NOFOLLOW_LINKS)) {
                    Files.delete(t); // a link or a file where a directory goes: replaced, never followed
                }
                if (!Files.isDirectory(t, LinkOption.NOFOLLOW_LINKS)) {
                    Files.copy(dir, t, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Path t = target(file);
                if (Files.isDirectory(t, LinkOption.NOFOLLOW_LINKS)) {
                    throw new EngineException(t + ": a directory is in the way of " + file);
                }
                Files.copy(file, t, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES,
                        LinkOption.NOFOLLOW_LINKS);
                return FileVisitResult.CONTINUE;
            }

            private Path target(Path p) {
                Path rel = from.relativize(p);
                return rel.toString().isEmpty() ? to : to.resolve(rel.toString());
            }
        });
    }
}
