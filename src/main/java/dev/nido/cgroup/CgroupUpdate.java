package dev.nido.cgroup;

import dev.nido.cgroup.v1.MemoryV1;
import dev.nido.linux.Errno;
import dev.nido.linux.LinuxException;
import dev.nido.linux.Syscalls;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * One all-or-nothing application of cgroup writes: each file is read before it is written, and
 * on the first failure the files already changed are restored in reverse order.
 */
final class CgroupUpdate {
    private record Undo(Path file, String value) {
    }

    private final Syscalls sys;
    private final Function<String, Path> dirOf;

    CgroupUpdate(Syscalls sys, Function<String, Path> dirOf) {
        this.sys = sys;
        this.dirOf = dirOf;
    }

    void apply(List<CgroupWrite> writes) {
        List<CgroupWrite> ordered = orderMemorySwap(writes);
        List<Undo> done = new ArrayList<>();
        for (CgroupWrite w : ordered) {
            Path dir = dirOf.apply(w.controller());
            List<String[]> undo = Restore.undo(w, f -> ContainerCgroup.readOptional(dir.resolve(f)));
            Path file = dir.resolve(w.file());
            try {
                sys.writeFile(file, w.value());
            } catch (LinuxException e) {
                String restored = rollback(done);
                throw new CgroupException("write \"" + w.value() + "\" to " + file + ": " + Errno.describe(e.errno())
                        + hint(w, e.errno()) + restored, e);
            }
            undo.forEach(u -> done.add(new Undo(dir.resolve(u[0]), u[1])));
        }
    }

    /** Restores in reverse order; returns a note for the error message. */
    private String rollback(List<Undo> done) {
        List<String> failed = new ArrayList<>();
        for (Undo u : done.reversed()) {
            try {
                sys.writeFile(u.file(), u.value());
            } catch (LinuxException e) {
                failed.add(u.file() + " (" + Errno.name(e.errno()) + ")");
            }
        }
        if (done.isEmpty()) {
            return "";
        }
        return failed.isEmpty() ? " (the earlier writes of this update were undone)"
                : " (could not restore " + String.join(", ", failed) + ")";
    }

    private static String hint(CgroupWrite w, int errno) {
        if (errno == Errno.EBUSY && w.file().startsWith("memory.")) {
            return " (the container uses more memory than the new limit)";
        }
        if (errno == Errno.EINVAL && w.file().equals(MemoryV1.LIMIT)) {
            return " (memory.limit must not exceed memory+swap; set linux.resources.memory.swap too)";
        }
        return "";
    }

    /**
     * v1 keeps memsw &gt;= limit at every step: when both are written and the new memsw is above the
     * current limit, memsw goes first (runc's rule).
     */
    private List<CgroupWrite> orderMemorySwap(List<CgroupWrite> writes) {
        int limit = indexOf(writes, MemoryV1.LIMIT);
        int swap = indexOf(writes, MemoryV1.MEMSW);
        if (limit < 0 || swap < 0 || swap < limit) {
            return writes;
        }
        Path dir = dirOf.apply("memory");
        Optional<Long> current = ContainerCgroup.readOptional(dir.resolve(MemoryV1.LIMIT))
                .map(String::strip).map(Long::parseUnsignedLong);
        long newSwap = Long.parseLong(writes.get(swap).value());
        if (current.isEmpty() || !MemoryV1.swapFirst(current.get(), newSwap)) {
            return writes;
        }
        List<CgroupWrite> out = new ArrayList<>(writes);
        out.set(limit, writes.get(swap));
        out.set(swap, writes.get(limit));
        return out;
    }

    private static int indexOf(List<CgroupWrite> writes, String file) {
        for (int i = 0; i < writes.size(); i++) {
            if (writes.get(i).controller().equals("memory") && writes.get(i).file().equals(file)) {
                return i;
            }
        }
        return -1;
    }
}
