package dev.nido.cgroup;

import dev.nido.cgroup.v1.FreezerV1;
import dev.nido.cgroup.v2.FreezerV2;
import dev.nido.linux.Errno;
import dev.nido.linux.LinuxException;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;

/** Freezing a container's cgroup with the v1 freezer hierarchy if there is one, else v2's cgroup.freeze. */
final class Freezer {
    /** How long a freeze may stay in progress (a task in an uninterruptible sleep delays it). */
    static long timeoutMillis = 5_000;

    private final boolean v1;
    private final BiConsumer<String, String> write;
    private final Function<String, Optional<String>> read;

    private Freezer(boolean v1, BiConsumer<String, String> write, Function<String, Optional<String>> read) {
        this.v1 = v1;
        this.write = write;
        this.read = read;
    }

    static Freezer of(ContainerCgroup cg) {
        boolean v1 = cg.layout().controllerHome("freezer").filter("v1"::equals).isPresent();
        String controller = v1 ? "freezer" : "cgroup";
        if (!v1 && cg.layout().v2().isEmpty()) {
            throw new CgroupException("pause: no freezer on this host (neither a v1 freezer hierarchy nor cgroup v2)");
        }
        Path dir = cg.dirOf(controller);
        BiConsumer<String, String> write = (f, v) -> {
            try {
                cg.sys().writeFile(dir.resolve(f), v);
            } catch (LinuxException e) {
                throw new CgroupException("write \"" + v + "\" to " + dir.resolve(f) + ": " + Errno.describe(e.errno()), e);
            }
        };
        return new Freezer(v1, write, f -> ContainerCgroup.readOptional(dir.resolve(f)));
    }

    void freeze() {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        for (int attempt = 0; ; attempt++) {
            // v1: writing FROZEN again moves a FREEZING cgroup on (runc does the same).
            if (v1 || attempt == 0) {
                if (v1) {
                    FreezerV1.freeze(write);
                } else {
                    FreezerV2.freeze(write);
                }
            }
            if (frozen()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                thaw();
                throw new CgroupException("freeze: the cgroup was still not frozen after " + timeoutMillis
                        + " ms (a task may be stuck in an uninterruptible sleep); it was thawed again");
            }
            sleep(attempt < 10 ? 1 : 10);
        }
    }

    void thaw() {
        if (v1) {
            FreezerV1.thaw(write);
        } else {
            FreezerV2.thaw(write);
        }
    }

    boolean frozen() {
        return v1 ? FreezerV1.isFrozen(read) : FreezerV2.isFrozen(read);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CgroupException("freeze: interrupted");
        }
    }
}
