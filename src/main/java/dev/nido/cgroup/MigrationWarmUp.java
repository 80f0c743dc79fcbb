package dev.nido.cgroup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * Opens the kernel's fast path for cgroup migrations before a launch attaches its container.
 *
 * <p>Every write of a pid to {@code cgroup.procs} takes {@code cgroup_threadgroup_rwsem} for
 * writing (kernel/cgroup/cgroup.c, {@code cgroup_attach_lock}), and the first writer after a
 * quiet spell waits in {@code rcu_sync_enter} (kernel/rcu/sync.c) for a whole RCU grace period:
 * 5-15 ms on a small VM, paid by the first attach of every container start. A writer that comes
 * less than a grace period after the previous one has left does not wait. So while the
 * container is prepared, a background thread moves itself into the cgroup it is already in,
 * every {@value #INTERVAL_MS} ms (its own tid to {@code tasks} in a v1 hierarchy,
 * {@code cgroup.threads} in v2: a migration that changes nothing), and the attach finds the
 * fast path open. It is a hint, not an operation of the launch, so it bypasses {@code Syscalls}
 * (and {@code --explain}); any failure just ends the thread.
 */
public final class MigrationWarmUp implements AutoCloseable {
    /** Below the shortest grace period seen on the reference VM (~4 ms). */
    static final int INTERVAL_MS = 2;
    private static final long INTERVAL_NANOS = INTERVAL_MS * 1_000_000L;
    /** A launch that takes longer than this pays the grace period as before. */
    private static final long LIMIT_NANOS = 2_000_000_000L;

    private volatile boolean stopped;

    private MigrationWarmUp() {
    }

    /** Starts the thread on the first hierarchy of {@code layout} whose own cgroup it can find. */
    public static MigrationWarmUp start(CgroupLayout layout) {
        MigrationWarmUp w = new MigrationWarmUp();
        Thread t = new Thread(() -> w.run(layout), "nido-cgroup-warmup");
        t.setDaemon(true);
        t.start();
        return w;
    }

    /** Ends the thread (after the attach); it may finish one more no-op write. */
    @Override
    public void close() {
        stopped = true;
    }

    private void run(CgroupLayout layout) {
        try {
            String tid = Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
            Path file = ownCgroupFile(layout, Files.readAllLines(Path.of("/proc/thread-self/cgroup")));
            if (file == null) {
                return;
            }
            byte[] content = tid.getBytes(StandardCharsets.US_ASCII);
            // One open file, one write(2) per move: cgroup files take each write as one command.
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                long start = System.nanoTime();
                while (!stopped && System.nanoTime() - start < LIMIT_NANOS) {
                    ch.write(ByteBuffer.wrap(content));
                    // not Thread.sleep: its JFR event class is not in the AOT cache
                    LockSupport.parkNanos(INTERVAL_NANOS);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not allowed (rootless), no such file, a cgroup being removed: only slower
        }
    }

    /**
     * The file through which this thread would move itself into its own cgroup, from the lines
     * of /proc/thread-self/cgroup (cgroups(7): {@code id:controllers:path}); null when no
     * hierarchy of the layout matches.
     */
    static Path ownCgroupFile(CgroupLayout layout, List<String> procCgroup) {
        for (Hierarchy h : layout.hierarchies()) {
            for (String line : procCgroup) {
                String[] f = line.split(":", 3);
                if (f.length == 3 && matches(h, f[1]) && f[2].startsWith("/")) {
                    Path dir = h.mountPoint().resolve(f[2].substring(1));
                    return dir.resolve(h.v2() ? "cgroup.threads" : "tasks");
                }
            }
        }
        return null;
    }

    private static boolean matches(Hierarchy h, String controllers) {
        if (h.v2()) {
            return controllers.isEmpty();
        }
        return !h.controllers().isEmpty() && h.controllers().equals(Set.of(controllers.split(",")));
    }
}
