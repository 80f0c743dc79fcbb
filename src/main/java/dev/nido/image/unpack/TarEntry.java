package dev.nido.image.unpack;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One tar entry as read or to be written, with every extension already folded in (GNU long
 * names, PAX records). {@code name} is as in the archive ({@code etc/}, {@code ./etc/passwd});
 * {@code linkName} is the symlink's target or the hard link's source, else empty. {@code mode}
 * holds the permission bits with setuid, setgid and sticky (07777). {@code xattrs} are the
 * extended attributes of the PAX {@code SCHILY.xattr.*} / {@code LIBARCHIVE.xattr.*} records,
 * sorted by name.
 */
public record TarEntry(String name, EntryType type, String linkName, int mode, long uid, long gid, long size,
        long mtimeSeconds, int mtimeNanos, int devMajor, int devMinor, String uname, String gname,
        Map<String, byte[]> xattrs) {

    public TarEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        linkName = linkName == null ? "" : linkName;
        uname = uname == null ? "" : uname;
        gname = gname == null ? "" : gname;
        xattrs = xattrs == null || xattrs.isEmpty() ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(xattrs));
    }

    /** A regular file of {@code size} bytes, mode 0644, root-owned, mtime 0. */
    public static TarEntry file(String name, long size) {
        return new TarEntry(name, EntryType.FILE, "", 0644, 0, 0, size, 0, 0, 0, 0, "", "", Map.of());
    }

    /** A directory, mode 0755; the name gets a trailing slash as tar writers do. */
    public static TarEntry directory(String name) {
        String n = name.endsWith("/") ? name : name.concat("/");
        return new TarEntry(n, EntryType.DIRECTORY, "", 0755, 0, 0, 0, 0, 0, 0, 0, "", "", Map.of());
    }

    /** A symbolic link to {@code target}, mode 0777. */
    public static TarEntry symlink(String name, String target) {
        return new TarEntry(name, EntryType.SYMLINK, target, 0777, 0, 0, 0, 0, 0, 0, 0, "", "", Map.of());
    }

    /** A hard link to the earlier entry {@code target}. */
    public static TarEntry hardLink(String name, String target) {
        return new TarEntry(name, EntryType.HARD_LINK, target, 0644, 0, 0, 0, 0, 0, 0, 0, "", "", Map.of());
    }

    /** A character or block device or a fifo (major and minor are 0 for a fifo). */
    public static TarEntry node(String name, EntryType type, int mode, int major, int minor) {
        return new TarEntry(name, type, "", mode, 0, 0, 0, 0, 0, major, minor, "", "", Map.of());
    }

    public TarEntry withMode(int newMode) {
        return new TarEntry(name, type, linkName, newMode, uid, gid, size, mtimeSeconds, mtimeNanos, devMajor,
                devMinor, uname, gname, xattrs);
    }

    public TarEntry withOwner(long newUid, long newGid) {
        return new TarEntry(name, type, linkName, mode, newUid, newGid, size, mtimeSeconds, mtimeNanos, devMajor,
                devMinor, uname, gname, xattrs);
    }

    public TarEntry withOwnerNames(String newUname, String newGname) {
        return new TarEntry(name, type, linkName, mode, uid, gid, size, mtimeSeconds, mtimeNanos, devMajor,
                devMinor, newUname, newGname, xattrs);
    }

    public TarEntry withMtime(long seconds, int nanos) {
        return new TarEntry(name, type, linkName, mode, uid, gid, size, seconds, nanos, devMajor, devMinor,
                uname, gname, xattrs);
    }

    public TarEntry withXattrs(Map<String, byte[]> newXattrs) {
        return new TarEntry(name, type, linkName, mode, uid, gid, size, mtimeSeconds, mtimeNanos, devMajor,
                devMinor, uname, gname, newXattrs);
    }

    public TarEntry withName(String newName) {
        return new TarEntry(newName, type, linkName, mode, uid, gid, size, mtimeSeconds, mtimeNanos, devMajor,
                devMinor, uname, gname, xattrs);
    }

    public TarEntry withSize(long newSize) {
        return new TarEntry(name, type, linkName, mode, uid, gid, newSize, mtimeSeconds, mtimeNanos, devMajor,
                devMinor, uname, gname, xattrs);
    }
}
