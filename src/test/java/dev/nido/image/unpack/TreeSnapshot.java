package dev.nido.image.unpack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** A tree as text, for assertions: {@code rel → "dir" | "file:CONTENT" | "link:TARGET" | "other"}. */
final class TreeSnapshot {
    private TreeSnapshot() {
    }

    static Map<String, String> of(Path root) {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                if (p.equals(root)) {
                    continue;
                }
                out.put(root.relativize(p).toString(), describe(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static String describe(Path p) {
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (a.isDirectory()) {
                return "dir";
            }
            if (a.isSymbolicLink()) {
                return "link:" + Files.readSymbolicLink(p);
            }
            if (a.isRegularFile()) {
                return "file:" + new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
            }
            int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            long rdev = (Long) Files.getAttribute(p, "unix:rdev", LinkOption.NOFOLLOW_LINKS);
            return switch (mode & 0170000) {
                case 0010000 -> "fifo";
                case 0020000 -> rdev == 0 ? "whiteout" : "char";
                case 0060000 -> "block";
                default -> "other";
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int mode(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
    }

    static long mtime(Path p) throws IOException {
        return Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toMillis() / 1000;
    }
}
