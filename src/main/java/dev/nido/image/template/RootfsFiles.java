package dev.nido.image.template;

import dev.nido.image.ImageException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Small helpers for writing a root filesystem by hand. */
final class RootfsFiles {
    private RootfsFiles() {
    }

    static void dirs(Path root, String... paths) {
        for (String p : paths) {
            try {
                Files.createDirectories(root.resolve(p));
            } catch (IOException e) {
                throw new ImageException("create " + root.resolve(p) + ": " + e.getMessage(), e);
            }
        }
    }

    /** chmod, sticky and set-id bits included (NIO's permission sets have none). */
    static void mode(Path p, int mode) {
        try {
            Files.setAttribute(p, "unix:mode", mode, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new ImageException("chmod " + p + ": " + e.getMessage(), e);
        }
    }

    static void write(Path root, String path, String content) {
        try {
            Path f = root.resolve(path);
            Files.createDirectories(f.getParent());
            Files.writeString(f, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ImageException("write " + root.resolve(path) + ": " + e.getMessage(), e);
        }
    }

    /** Copies a host file's content (following links) to {@code path} in the rootfs, keeping its mode. */
    static void copyFile(Path host, Path root, String path) {
        try {
            Path dst = root.resolve(path.startsWith("/") ? path.substring(1) : path);
            Files.createDirectories(dst.getParent());
            Files.copy(host, dst, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
        } catch (IOException e) {
            throw new ImageException("copy " + host + " into the rootfs: " + e.getMessage(), e);
        }
    }

    static void symlink(Path root, String path, String target) {
        try {
            Path l = root.resolve(path);
            Files.createDirectories(l.getParent());
            if (!Files.exists(l, LinkOption.NOFOLLOW_LINKS)) {
                Files.createSymbolicLink(l, Path.of(target));
            }
        } catch (IOException e) {
            throw new ImageException("symlink " + path + ": " + e.getMessage(), e);
        }
    }
}
