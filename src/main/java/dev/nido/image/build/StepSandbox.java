package dev.nido.image.build;

import dev.nido.image.ImageException;
import dev.nido.image.snapshot.Rootfs;
import dev.nido.image.snapshot.Snapshots;
import dev.nido.image.store.Image;
import dev.nido.linux.LinuxException;
import dev.nido.linux.Syscalls;
import dev.nido.oci.RuntimeSpec;
import dev.nido.oci.SpecReader;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The working area of one build step, {@code ROOT/build/ID/}: {@code fs/} the overlay of the
 * current image ({@link Rootfs}: rootfs, upper, work), {@code bundle/config.json} and
 * {@code state/}, the private {@code --root} of the {@code nido-runtime} that runs the step.
 * {@link #close} (also run by the build's shutdown hook on SIGINT/SIGTERM) deletes the container,
 * unmounts and removes everything; it may run twice.
 */
final class StepSandbox implements AutoCloseable {
    private static final Set<StepSandbox> OPEN = new LinkedHashSet<>();

    private final Syscalls sys;
    private final Path dir;
    private final String id;
    private Path runtime;
    private java.lang.Process process;
    private boolean closed;

    private StepSandbox(Syscalls sys, Path dir, String id) {
        this.sys = sys;
        this.dir = dir;
        this.id = id;
    }

    /** Mounts {@code image} (null: an empty root) under a new {@code buildDir/ID}. */
    static StepSandbox open(Syscalls sys, Snapshots snapshots, Image image, Path buildDir,
                            java.util.function.Consumer<String> log) {
        byte[] b = new byte[6];
        new SecureRandom().nextBytes(b);
        String hex = HexFormat.of().formatHex(b);
        StepSandbox s = new StepSandbox(sys, buildDir.resolve(hex), "build-" + hex);
        synchronized (OPEN) {
            OPEN.add(s);
        }
        try {
            Files.createDirectories(s.dir);
            Rootfs.create(sys, snapshots, image, s.dir.resolve("fs"), log);
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e instanceof ImageException ie ? ie : new ImageException("prepare " + s.dir + ": " + e.getMessage(), e);
        }
    }

    /** The container's name for {@code nido-runtime}: {@code build-} and 12 hex digits. */
    String id() {
        return id;
    }

    Path rootfs() {
        return dir.resolve("fs/rootfs");
    }

    Path upper() {
        return dir.resolve("fs/upper");
    }

    /**
     * Runs {@code spec} with {@code nido-runtime --root STATE run --bundle BUNDLE ID}, copying its
     * output (stdout and stderr, as they come) to {@code out}; returns the exit status.
     */
    int run(Path launcher, RuntimeSpec spec, OutputStream out) {
        Path bundle = dir.resolve("bundle");
        try {
            Files.createDirectories(bundle);
            Files.write(bundle.resolve(SpecReader.CONFIG), SpecReader.write(spec));
            ProcessBuilder pb = new ProcessBuilder(List.of(launcher.toString(), "--root", state().toString(), "run",
                    "--bundle", bundle.toString(), id)).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            synchronized (this) {
                if (closed) {
                    throw new ImageException("the build was interrupted");
                }
                runtime = launcher;
                process = pb.start();
            }
            try (InputStream in = process.getInputStream()) {
                byte[] buf = new byte[8192];
                for (int n; (n = in.read(buf)) > 0; ) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            }
            return process.waitFor();
        } catch (IOException e) {
            throw new ImageException("run " + launcher + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageException("the build was interrupted", e);
        }
    }

    private Path state() {
        return dir.resolve("state");
    }

    /** Unmounts the overlay (its upper directory stays, to be read as a layer). */
    void unmount() {
        Path mnt = rootfs();
        if (Rootfs.mounted(mnt)) {
            try {
                sys.umount(mnt, 0);
            } catch (LinuxException e) {
                sys.umount(mnt, 2); // MNT_DETACH
            }
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            stopContainer();
            Rootfs.remove(sys, dir.resolve("fs"));
            removeTree(dir);
        } finally {
            synchronized (OPEN) {
                OPEN.remove(this);
            }
        }
    }

    /** If the runtime is still running the step (an interrupted build): delete the container and wait for it. */
    private void stopContainer() {
        if (process == null) {
            return;
        }
        if (process.isAlive() || Files.isDirectory(state().resolve(id))) {
            runQuietly(List.of(runtime.toString(), "--root", state().toString(), "delete", "--force", id));
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void runQuietly(List<String> cmd) {
        try {
            java.lang.Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            // nothing more to do: the state directory goes with the sandbox
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Closes every open sandbox: the build's shutdown hook. */
    static void closeAll() {
        List<StepSandbox> all;
        synchronized (OPEN) {
            all = List.copyOf(OPEN);
        }
        for (StepSandbox s : all) {
            try {
                s.close();
            } catch (RuntimeException e) {
                System.err.println("nido build: cleaning up " + s.dir + ": " + e.getMessage());
            }
        }
    }

    /** rm -rf without following links or crossing mounts. */
    static void removeTree(Path p) {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            java.lang.Process proc = new ProcessBuilder("rm", "-rf", "--one-file-system", p.toString())
                    .redirectErrorStream(true).start();
            String msg = new String(proc.getInputStream().readAllBytes());
            if (proc.waitFor() != 0) {
                throw new ImageException("remove " + p + ": " + msg.strip());
            }
        } catch (IOException e) {
            throw new ImageException("remove " + p + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageException("remove " + p + ": interrupted", e);
        }
    }
}
