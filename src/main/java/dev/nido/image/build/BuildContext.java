package dev.nido.image.build;

import dev.nido.image.ImageException;
import dev.nido.image.store.Digest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The build context: the directory COPY and ADD read from, less what {@code .dockerignore}
 * excludes. Sources are found inside it only (symlinks resolved as {@link InRoot} does, so
 * {@code COPY link /} cannot read the host through {@code link -> /etc}), and hashed for the cache
 * by name, type, permission bits and content, never by times or owners.
 */
final class BuildContext {
    /** One source a COPY/ADD names (after wildcards): {@code rel} in the context, {@code path} on the host. */
    record Source(String rel, Path path) {
        String baseName() {
            int i = rel.lastIndexOf('/');
            return i < 0 ? rel : rel.substring(i + 1);
        }
    }

    /** One file under a source: {@code sub} relative to the source ("" for the source itself). */
    record Entry(String sub, Path path) {
    }

    private final Path dir;
    private final DockerIgnore ignore;

    BuildContext(Path dir, DockerIgnore ignore) {
        this.dir = dir;
        this.ignore = ignore;
    }

    /** The context {@code dir} with its {@code .dockerignore}, if any. */
    static BuildContext open(Path dir) {
        Path f = dir.resolve(".dockerignore");
        try {
            return new BuildContext(dir, Files.isRegularFile(f) ? DockerIgnore.parse(Files.readString(f))
                    : DockerIgnore.none());
        } catch (IOException e) {
            throw new ImageException("read " + f + ": " + e.getMessage(), e);
        }
    }

    Path dir() {
        return dir;
    }

    /** What {@code spec} names (wildcards expanded, sorted); an error if nothing. */
    List<Source> sources(String spec) {
        String clean = cleanSpec(spec);
        if (clean.chars().anyMatch(c -> c == '*' || c == '?' || c == '[')) {
            return glob(spec, clean);
        }
        Path p = InRoot.resolve(dir, clean, true);
        if (clean.isEmpty()) {
            return List.of(new Source("", dir));
        }
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS) || ignore.excluded(clean)) {
            throw new ImageException(spec + ": no such file or directory in the build context " + dir
                    + (ignore.excluded(clean) ? " (.dockerignore excludes it)" : ""));
        }
        return List.of(new Source(clean, p));
    }

    private static String cleanSpec(String spec) {
        String lexical = DockerIgnore.clean(spec);
        int ups = 0;
        for (String c : spec.split("/")) {
            ups += c.equals("..") ? 1 : 0;
        }
        if (ups > 0 && !isInside(spec)) {
            throw new ImageException(spec + ": outside the build context (COPY and ADD only read the context"
                    + " directory; move the file into it)");
        }
        return lexical;
    }

    private static boolean isInside(String spec) {
        int depth = 0;
        for (String c : spec.split("/")) {
            if (c.equals("..")) {
                if (--depth < 0) {
                    return false;
                }
            } else if (!c.isEmpty() && !c.equals(".")) {
                depth++;
            }
        }
        return true;
    }

    private List<Source> glob(String spec, String clean) {
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + clean.replace("{", "\\{"));
        List<Source> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted().toList()) {
                String rel = dir.relativize(p).toString();
                if (!rel.isEmpty() && m.matches(Path.of(rel)) && !ignore.excluded(rel)) {
                    out.add(new Source(rel, p));
                }
            }
        } catch (IOException e) {
            throw new ImageException("read the build context " + dir + ": " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new ImageException(spec + ": no file in the build context " + dir + " matches");
        }
        return out;
    }

    /** The source itself and, for a directory, everything under it not excluded: sorted, parents first. */
    List<Entry> entries(Source src) {
        List<Entry> out = new ArrayList<>();
        out.add(new Entry("", src.path()));
        if (Files.isDirectory(src.path(), LinkOption.NOFOLLOW_LINKS)) {
            walk(src, src.path(), "", out);
        }
        return out;
    }

    private void walk(Source src, Path d, String sub, List<Entry> out) {
        List<Path> children;
        try (Stream<Path> s = Files.list(d)) {
            children = s.sorted().toList();
        } catch (IOException e) {
            throw new ImageException("read " + d + ": " + e.getMessage(), e);
        }
        for (Path c : children) {
            String name = sub.isEmpty() ? c.getFileName().toString() : sub + "/" + c.getFileName();
            String rel = src.rel().isEmpty() ? name : src.rel() + "/" + name;
            boolean dirChild = Files.isDirectory(c, LinkOption.NOFOLLOW_LINKS);
            if (ignore.excluded(rel)) {
                if (dirChild && ignore.hasExceptions()) {
                    walk(src, c, name, out); // a "!" rule may bring back something below
                }
                continue;
            }
            out.add(new Entry(name, c));
            if (dirChild) {
                walk(src, c, name, out);
            }
        }
    }

    /**
     * The sha256 of what the sources hold, as the cache sees it: for each entry its name, type,
     * permission bits, and a file's content or a link's target. Times and owners do not count.
     */
    String digest(List<Source> sources) {
        MessageDigest md = Digest.sha256();
        for (Source s : sources) {
            put(md, "source " + s.rel());
            for (Entry e : entries(s)) {
                put(md, e.sub());
                describe(md, e.path());
            }
        }
        return "sha256:" + HexFormat.of().formatHex(md.digest());
    }

    private static void describe(MessageDigest md, Path p) {
        try {
            if (Files.isSymbolicLink(p)) {
                put(md, "l " + Files.readSymbolicLink(p));
            } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                put(md, "d " + Integer.toOctalString(mode(p)));
            } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                put(md, "f " + Integer.toOctalString(mode(p)) + " " + Files.size(p) + " " + contentDigest(p));
            } else {
                put(md, "o " + Integer.toOctalString(mode(p)));
            }
        } catch (IOException e) {
            throw new ImageException("read " + p + ": " + e.getMessage(), e);
        }
    }

    static int mode(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
    }

    private static String contentDigest(Path p) throws IOException {
        MessageDigest md = Digest.sha256();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static void put(MessageDigest md, String s) {
        md.update(s.getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
    }
}
