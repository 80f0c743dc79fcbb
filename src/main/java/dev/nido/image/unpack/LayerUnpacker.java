package dev.nido.image.unpack;

import dev.nido.image.ImageException;
import dev.nido.linux.Syscalls;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Unpacks one image layer (a tar, plain, gzip or zstd, told by its first bytes) into a directory,
 * as an overlayfs lower layer or applied onto a tree ({@link UnpackOptions.Mode}).
 *
 * <p>A layer is hostile input. Nothing in it may write outside the target: names are cleaned
 * (a {@code ..} that climbs above the root is refused), absolute names are relative to the
 * target, symlinks in a name's directories are resolved inside the target as
 * openat2(RESOLVE_IN_ROOT) would, and the last component is never followed. Hard links must point
 * at something the target already holds, never a directory. Every problem is an
 * {@link ImageException} naming the layer and the entry:
 * <pre>
 * layer sha256:0a1b…: entry "../../etc/x": path escapes the layer root
 * </pre>
 * The target is not cleaned up after a failure (the caller removes it) and nothing is fsynced
 * (the caller syncs the layer once).
 *
 * <pre>
 * UnpackResult r = new LayerUnpacker().unpack("layer " + digest, in, dir,
 *         new UnpackOptions(Mode.OVERLAY, true, diffId));
 * </pre>
 */
public final class LayerUnpacker {
    /** Reads and writes go through one buffer of this size. */
    static final int BUFFER = 1 << 20;

    private final Syscalls sys;

    /** With the real kernel. */
    public LayerUnpacker() {
        this(Syscalls.real());
    }

    /** With {@code sys} for what Java NIO cannot do without following symlinks (owners, times, nodes, xattrs). */
    public LayerUnpacker(Syscalls sys) {
        this.sys = sys;
    }

    /**
     * Unpacks {@code layer} into {@code target}, reading the stream to its end and closing it.
     *
     * @param label   names the layer in messages, e.g. {@code layer sha256:0a1b…}
     * @param target  an existing directory; empty for {@link UnpackOptions.Mode#OVERLAY}
     * @throws ImageException for bad input, a path the layer may not write, a failed write or a
     *                        DiffID that is not the expected one (after unpacking: the caller deletes
     *                        the target)
     */
    public UnpackResult unpack(String label, InputStream layer, Path target, UnpackOptions options) {
        Path root = checkTarget(label, target, options);
        List<String> skipped = new ArrayList<>();
        byte[] buf = new byte[BUFFER];
        int entries = 0;
        try (LayerInput in = LayerInput.open(layer, label); TarReader tar = new TarReader(new Prefetcher(in, label), label)) {
            LayerApplier applier = new LayerApplier(label, root, options, sys, dev.nido.runtime.Identity.umask(), skipped, buf);
            for (TarEntry e; (e = tar.next()) != null; ) {
                applier.apply(e, tar);
                entries++;
            }
            applier.finish();
            tar.drain();
            String diffId = in.diffId();
            if (options.expectedDiffId() != null && !options.expectedDiffId().equals(diffId)) {
                throw new ImageException(label + ": uncompressed content has digest " + diffId
                        + ", but the image config expects " + options.expectedDiffId());
            }
            return new UnpackResult(diffId, in.count(), entries, skipped);
        } catch (IOException e) {
            throw new ImageException(label + ": closing the layer: " + e.getMessage(), e);
        }
    }

    private static Path checkTarget(String label, Path target, UnpackOptions options) {
        try {
            Path root = target.toRealPath();
            if (!Files.isDirectory(root)) {
                throw new ImageException(label + ": target " + target + " is not a directory");
            }
            if (options.mode() == UnpackOptions.Mode.OVERLAY) {
                try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
                    if (entries.iterator().hasNext()) {
                        throw new ImageException(label + ": target " + target
                                + " is not empty (an overlay layer is unpacked into a fresh directory)");
                    }
                }
            }
            return root;
        } catch (IOException e) {
            throw new ImageException(label + ": target " + Failures.describe(e), e);
        }
    }

    /** Whether this process's effective uid is 0 (read from /proc/self/status). */
    public static boolean runningAsRoot() {
        return dev.nido.runtime.Identity.isRoot();
    }
}
