package dev.nido.image.build;

import dev.nido.image.ImageException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * USER and {@code --chown} values ({@code uid}, {@code name}, {@code user:group}, numeric or by
 * name) turned into ids with the image's own {@code /etc/passwd} and {@code /etc/group}, read
 * inside its root filesystem.
 */
public final class Users {
    /** Resolved ids; {@code groups} the user's supplementary groups (from /etc/group). */
    public record Ids(long uid, long gid, List<Long> groups) {
    }

    private Users() {
    }

    /** {@code spec} for a process (USER): a user without a group gets its passwd group and its groups. */
    public static Ids resolve(Path rootfs, String spec) {
        int colon = spec.indexOf(':');
        String user = colon < 0 ? spec : spec.substring(0, colon);
        String group = colon < 0 ? null : spec.substring(colon + 1);
        if (user.isEmpty()) {
            throw new ImageException("user \"" + spec + "\": expected USER name-or-uid[:group-or-gid]");
        }
        String[] pw = find(rootfs, "/etc/passwd", user, 2);
        long uid;
        long gid;
        if (pw != null) {
            uid = number(pw[2], "/etc/passwd");
            gid = number(pw[3], "/etc/passwd");
        } else if (isNumber(user)) {
            uid = Long.parseLong(user);
            gid = 0;
        } else {
            throw new ImageException("user \"" + user + "\" is not in the image's /etc/passwd (use a numeric uid,"
                    + " or RUN adduser first)");
        }
        List<Long> groups = new ArrayList<>();
        if (group != null) {
            gid = groupId(rootfs, group);
        } else if (pw != null) {
            groups.addAll(memberships(rootfs, pw[0], gid));
        }
        return new Ids(uid, gid, groups);
    }

    /** {@code spec} for file owners ({@code --chown}): a user alone means its uid and, by name, its group. */
    static Ids owner(Path rootfs, String spec) {
        int colon = spec.indexOf(':');
        String user = colon < 0 ? spec : spec.substring(0, colon);
        if (colon < 0 && isNumber(user)) {
            long id = Long.parseLong(user);
            return new Ids(id, id, List.of()); // docker: --chown=1000 is 1000:1000
        }
        Ids u = resolve(rootfs, colon < 0 ? user : user + ":" + spec.substring(colon + 1));
        return new Ids(u.uid(), u.gid(), List.of());
    }

    private static long groupId(Path rootfs, String group) {
        String[] gr = find(rootfs, "/etc/group", group, 2);
        if (gr != null) {
            return number(gr[2], "/etc/group");
        }
        if (isNumber(group)) {
            return Long.parseLong(group);
        }
        throw new ImageException("group \"" + group + "\" is not in the image's /etc/group (use a numeric gid)");
    }

    private static List<Long> memberships(Path rootfs, String name, long primary) {
        List<Long> out = new ArrayList<>();
        for (String[] f : entries(rootfs, "/etc/group")) {
            if (f.length >= 4 && List.of(f[3].split(",")).contains(name) && isNumber(f[2])) {
                long g = Long.parseLong(f[2]);
                if (g != primary && !out.contains(g)) {
                    out.add(g);
                }
            }
        }
        return out;
    }

    /** The entry whose name, or else whose id (field {@code idField}), is {@code key}. */
    private static String[] find(Path rootfs, String file, String key, int idField) {
        List<String[]> all = entries(rootfs, file);
        for (String[] f : all) {
            if (f[0].equals(key)) {
                return f;
            }
        }
        if (isNumber(key)) {
            for (String[] f : all) {
                if (f.length > idField && f[idField].equals(key)) {
                    return f;
                }
            }
        }
        return null;
    }

    private static List<String[]> entries(Path rootfs, String file) {
        Path p = InRoot.resolve(rootfs, file, true);
        List<String[]> out = new ArrayList<>();
        if (!Files.isRegularFile(p)) {
            return out;
        }
        try {
            for (String line : Files.readAllLines(p)) {
                String[] f = line.split(":", -1);
                if (f.length >= 4 && !line.startsWith("#")) {
                    out.add(f);
                }
            }
        } catch (IOException e) {
            throw new ImageException("read the image's " + file + ": " + e.getMessage(), e);
        }
        return out;
    }

    static boolean isNumber(String s) {
        return !s.isEmpty() && s.length() < 11 && s.chars().allMatch(c -> c >= '0' && c <= '9')
                && Long.parseLong(s) <= 0xffffffffL;
    }

    private static long number(String s, String file) {
        if (!isNumber(s)) {
            throw new ImageException("the image's " + file + " has a bad id \"" + s + "\"");
        }
        return Long.parseLong(s);
    }
}
