package dev.nido.image.unpack;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/** Removing a tree without ever following a symlink out of it. */
final class Trees {
    private Trees() {
    }

    /**
     * Removes {@code path} and, if it is a directory (itself, not through a symlink), everything
     * in it. Symlinks inside are removed, never followed.
     */
    static void removeTree(Path path) throws IOException {
        BasicFileAttributes attrs = RootResolver.lstat(path);
        if (attrs == null) {
            return;
        }
        if (attrs.isDirectory()) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(path)) {
                for (Path child : entries) {
                    removeTree(child);
                }
            }
        }
        Files.deleteIfExists(path);
    }
}
