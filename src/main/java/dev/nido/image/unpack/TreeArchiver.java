package dev.nido.image.unpack;

import dev.nido.image.ImageException;
import dev.nido.linux.LinuxException;
import dev.nido.linux.Syscalls;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Walks a directory for {@link TarWriter}: sorted, depth first, nothing followed. In overlay
 * mode it reads overlayfs's marks (overlayfs(5)): a character device 0/0 is a whiteout, a
 * directory with {@code trusted.overlay.opaque=y} (or {@code user.overlay.opaque}) is opaque.
 */
final class TreeArchiver {
    private static final String ATTRIBUTES = "unix:mode,uid,gid,size,lastModifiedTime,ino,dev,nlink,rdev";
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;
    private static final int S_IFLNK = 0120000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFDIR = 0040000;

    private final TarWriter writer;
    private final Syscalls sys;
    private final boolean overlay;
    /** First name written for each (dev, ino) with more than one link. */
    private final Map<List<Long>, String> links = new HashMap<>();

    TreeArchiver(TarWriter writer, Syscalls sys, boolean overlay) {
        this.writer = writer;
        this.sys = sys;
        this.overlay = overlay;
    }

    void archive(Path dir) {
        try {
            if (overlay && isOpaque(dir, xattrNames(dir))) {
                writer.write(marker(LayerApplier.OPAQUE), (InputStream) null);
            }
            walk(dir, "");
        } catch (IOException e) {
            throw new ImageException("archiving " + dir + ": " + Failures.describe(e), e);
        } catch (LinuxException e) {
            throw new ImageException("archiving " + dir + ": " + e.getMessage(), e);
        }
    }

    private void walk(Path dir, String prefix) throws IOException {
        for (String name : sortedNames(dir)) {
            Path path = dir.resolve(name);
            Map<String, Object> a = Files.readAttributes(path, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) a.get("mode");
            int type = mode & S_IFMT;
            String entryName = prefix + name;
            if (type == S_IFSOCK) {
                continue; // tar has no sockets; they are made by the programs that listen on them
            }
            List<String> xattrNames = sys.llistxattr(path);
            if (type == S_IFDIR) {
                writer.write(entry(path, entryName + "/", EntryType.DIRECTORY, a, xattrNames), (InputStream) null);
                if (overlay && isOpaque(path, xattrNames)) {
                    writer.write(marker(entryName + "/" + LayerApplier.OPAQUE), (InputStream) null);
                }
                walk(path, entryName + "/");
                continue;
            }
            long rdev = (Long) a.get("rdev");
            if (overlay && (type & S_IFMT) == Syscalls.S_IFCHR && rdev == 0) {
                writer.write(marker(prefix + LayerApplier.WHITEOUT_PREFIX + name), (InputStream) null);
                continue;
            }
            if (overlay) {
                refuseMetacopy(path, xattrNames);
            }
            if ((Integer) a.get("nlink") > 1) {
                List<Long> key = List.of((Long) a.get("dev"), (Long) a.get("ino"));
                String first = links.putIfAbsent(key, entryName);
                if (first != null) {
                    writer.write(TarEntry.hardLink(entryName, first).withMode(mode & 07777)
                            .withOwner((Integer) a.get("uid"), (Integer) a.get("gid"))
                            .withMtime(seconds(a), 0), (InputStream) null);
                    continue;
                }
            }
            write(path, entryName, type, a, xattrNames);
        }
    }

    private void write(Path path, String name, int type, Map<String, Object> a, List<String> xattrNames)
            throws IOException {
        switch (type) {
            case S_IFREG -> {
                TarEntry e = entry(path, name, EntryType.FILE, a, xattrNames).withSize((Long) a.get("size"));
                try (InputStream in = Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS)) {
                    writer.write(e, in);
                }
            }
            case S_IFLNK -> {
                String target = Files.readSymbolicLink(path).toString();
                TarEntry e = entry(path, name, EntryType.SYMLINK, a, xattrNames);
                writer.write(new TarEntry(e.name(), EntryType.SYMLINK, target, e.mode(), e.uid(), e.gid(), 0,
                        e.mtimeSeconds(), 0, 0, 0, "", "", e.xattrs()), (InputStream) null);
            }
            default -> {
                EntryType t = switch (type) {
                    case Syscalls.S_IFCHR -> EntryType.CHAR_DEVICE;
                    case Syscalls.S_IFBLK -> EntryType.BLOCK_DEVICE;
                    case Syscalls.S_IFIFO -> EntryType.FIFO;
                    default -> throw new ImageException("archiving " + path + ": unknown file type 0"
                            + Integer.toOctalString(type));
                };
                long rdev = t == EntryType.FIFO ? 0 : (Long) a.get("rdev");
                TarEntry e = entry(path, name, t, a, xattrNames);
                writer.write(new TarEntry(e.name(), t, "", e.mode(), e.uid(), e.gid(), 0, e.mtimeSeconds(), 0,
                        major(rdev), minor(rdev), "", "", e.xattrs()), (InputStream) null);
            }
        }
    }

    private TarEntry entry(Path path, String name, EntryType type, Map<String, Object> a, List<String> xattrNames) {
        int mode = (Integer) a.get("mode") & 07777;
        return new TarEntry(name, type, "", mode, (Integer) a.get("uid") & 0xffffffffL,
                (Integer) a.get("gid") & 0xffffffffL, 0, seconds(a), 0, 0, 0, "", "", xattrs(path, xattrNames));
    }

    /** Whiteout and opaque markers: empty regular files, every field zero (deterministic). */
    private static TarEntry marker(String name) {
        return new TarEntry(name, EntryType.FILE, "", 0, 0, 0, 0, 0, 0, 0, 0, "", "", Map.of());
    }

    private static long seconds(Map<String, Object> a) {
        return ((FileTime) a.get("lastModifiedTime")).toInstant().getEpochSecond();
    }

    private List<String> xattrNames(Path path) {
        return sys.llistxattr(path);
    }

    /** The extended attributes a layer carries (see {@link TarWriter#writeTree}). */
    private Map<String, byte[]> xattrs(Path path, List<String> names) {
        if (names.isEmpty()) {
            return Map.of();
        }
        Map<String, byte[]> kept = new TreeMap<>();
        for (String name : names) {
            if (keep(name)) {
                sys.lgetxattr(path, name).ifPresent(v -> kept.put(name, v));
            }
        }
        return kept;
    }

    static boolean keep(String name) {
        if (name.startsWith("trusted.overlay.") || name.startsWith("user.overlay.")) {
            return false;
        }
        return name.startsWith("user.") || name.startsWith("trusted.") || name.equals("security.capability");
    }

    private boolean isOpaque(Path dir, List<String> names) {
        if (overlay && names.contains("trusted.overlay.redirect")) {
            throw new ImageException("archiving " + dir + ": the directory was renamed in the overlay "
                    + "(trusted.overlay.redirect), which a layer cannot express: mount with redirect_dir=off");
        }
        for (String name : List.of(Whiteouts.TRUSTED_OPAQUE, Whiteouts.USER_OPAQUE)) {
            if (names.contains(name)) {
                Optional<byte[]> v = sys.lgetxattr(dir, name);
                if (v.isPresent() && Arrays.equals(v.get(), "y".getBytes(StandardCharsets.US_ASCII))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void refuseMetacopy(Path path, List<String> names) {
        if (names.contains("trusted.overlay.metacopy") || names.contains("user.overlay.metacopy")) {
            throw new ImageException("archiving " + path + ": only the file's metadata was copied up "
                    + "(overlay metacopy), its data is in a lower layer: mount with metacopy=off");
        }
    }

    private static List<String> sortedNames(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                names.add(p.getFileName().toString());
            }
        }
        Collections.sort(names);
        return names;
    }

    /** glibc's gnu_dev_major of a 64-bit dev_t. */
    static int major(long dev) {
        return (int) (((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL));
    }

    /** glibc's gnu_dev_minor of a 64-bit dev_t. */
    static int minor(long dev) {
        return (int) ((dev & 0xff) | ((dev >>> 12) & ~0xffL));
    }
}
