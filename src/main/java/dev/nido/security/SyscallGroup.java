package dev.nido.security;

import dev.nido.oci.Capability;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One group of the default profile's allow-list, from the resource {@code default-profile.txt}:
 * {@code [name]} or {@code [name CAP_A CAP_B]} (allowed when any of the capabilities is held),
 * then syscall names separated by blanks; {@code #} starts a comment line.
 *
 * @param name  what the calls are for, as the file names the group
 * @param caps  capabilities of which one unlocks the group; empty for the groups everyone gets
 * @param names the syscall names
 */
record SyscallGroup(String name, List<Capability> caps, List<String> names) {
    private static final String RESOURCE = "dev/nido/security/default-profile.txt";
    private static List<SyscallGroup> all;

    /** Whether a container with {@code held} may call this group. */
    boolean unlockedBy(Set<Capability> held) {
        if (caps.isEmpty()) {
            return true;
        }
        for (Capability c : caps) {
            if (held.contains(c)) {
                return true;
            }
        }
        return false;
    }

    /** Every group of the resource, read once. */
    static synchronized List<SyscallGroup> all() {
        if (all == null) {
            all = parse(read());
        }
        return all;
    }

    static List<SyscallGroup> parse(String text) {
        List<SyscallGroup> groups = new ArrayList<>();
        SyscallGroup open = null;
        List<String> names = new ArrayList<>();
        int at = 0;
        while (at < text.length()) {
            int end = text.indexOf('\n', at);
            end = end < 0 ? text.length() : end;
            String line = text.substring(at, end).strip();
            at = end + 1;
            if (line.isEmpty() || line.charAt(0) == '#') {
                continue;
            }
            if (line.charAt(0) == '[') {
                close(open, names, groups);
                open = header(line);
                names.clear();
            } else if (open == null) {
                throw new IllegalStateException(RESOURCE + ": syscall names before the first [group]: " + line);
            } else {
                words(line, names);
            }
        }
        close(open, names, groups);
        return List.copyOf(groups);
    }

    private static void close(SyscallGroup open, List<String> names, List<SyscallGroup> groups) {
        if (open != null) {
            groups.add(new SyscallGroup(open.name(), open.caps(), List.copyOf(names)));
        }
    }

    /** The name and capabilities of {@code [name CAP_A ...]}, without names yet. */
    private static SyscallGroup header(String line) {
        if (!line.endsWith("]")) {
            throw new IllegalStateException(RESOURCE + ": a group header ends with ]: " + line);
        }
        List<String> words = new ArrayList<>();
        words(line.substring(1, line.length() - 1), words);
        if (words.isEmpty()) {
            throw new IllegalStateException(RESOURCE + ": a group without a name");
        }
        List<Capability> caps = new ArrayList<>();
        for (String w : words.subList(1, words.size())) {
            try {
                caps.add(Capability.valueOf(w));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(RESOURCE + ": unknown capability " + w, e);
            }
        }
        return new SyscallGroup(words.get(0), List.copyOf(caps), List.of());
    }

    /** Adds the blank-separated words of {@code line} to {@code out}. */
    private static void words(String line, List<String> out) {
        int i = 0;
        while (i < line.length()) {
            while (i < line.length() && line.charAt(i) <= ' ') {
                i++;
            }
            int start = i;
            while (i < line.length() && line.charAt(i) > ' ') {
                i++;
            }
            if (i > start) {
                out.add(line.substring(start, i));
            }
        }
    }

    private static String read() {
        return new String(Resources.latin1(Resources.read(RESOURCE)));
    }
}
