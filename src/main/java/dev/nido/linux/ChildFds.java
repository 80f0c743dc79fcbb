package dev.nido.linux;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fd table a spawned child gets (child fd → fd of this process) and the path it executes.
 *
 * <p>A path {@code /proc/self/fd/N} names fd N of this process (a sealed memfd). The child
 * resolves that path only after its file actions, which close every fd above the targets, so N
 * is passed on as well — as the child fd that already maps it, or as the first number above the
 * targets — and the path is rewritten to the child's number. That fd stays open in the child;
 * nido-shim closes it with the rest (close_range) before the container's exec.
 */
record ChildFds(Map<Integer, Fd> fds, String execPath) {
    private static final String PROC_SELF_FD_PREFIX = "/proc/self/fd/";
    private static final Pattern PROC_SELF_FD = Pattern.compile("/proc/self/fd/(\\d+)");

    ChildFds {
        fds = Collections.unmodifiableSortedMap(new TreeMap<>(fds));
    }

    static ChildFds of(String path, Map<Integer, Fd> requested) {
        TreeMap<Integer, Fd> fds = new TreeMap<>(requested);
        for (int target : fds.keySet()) {
            if (target < 0) {
                throw new IllegalArgumentException("spawn " + path + ": negative child fd " + target);
            }
        }
        Matcher m = PROC_SELF_FD.matcher(path);
        if (!m.matches()) {
            return new ChildFds(fds, path);
        }
        Fd parentFd = new Fd(Integer.parseInt(m.group(1)));
        for (Map.Entry<Integer, Fd> e : fds.entrySet()) {
            if (e.getValue().equals(parentFd)) {
                return new ChildFds(fds, PROC_SELF_FD_PREFIX.concat(e.getKey().toString()));
            }
        }
        int slot = maxTarget(fds) + 1;
        fds.put(slot, parentFd);
        return new ChildFds(fds, PROC_SELF_FD_PREFIX.concat(Integer.toString(slot)));
    }

    /** The highest fd the child keeps: at least 2 (stdin, stdout, stderr are always inherited). */
    int maxTarget() {
        return maxTarget(fds);
    }

    private static int maxTarget(Map<Integer, Fd> fds) {
        // A loop, not a stream: this runs once per spawn in a cold JVM (see Fd on start-up).
        int max = 2;
        for (int target : fds.keySet()) {
            max = Math.max(max, target);
        }
        return max;
    }
}
