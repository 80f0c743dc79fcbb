package dev.nido.image.unpack;

import java.util.Objects;

/**
 * How to unpack one layer.
 *
 * @param mode           {@link Mode#OVERLAY} or {@link Mode#APPLY}
 * @param root           whether this process may chown, mknod devices and set {@code trusted.} and
 *                       {@code security.} xattrs (it is root, or holds the capabilities); when false
 *                       those are skipped and listed in {@link UnpackResult#skipped()}
 * @param expectedDiffId {@code sha256:<hex>} the uncompressed layer must have, or null not to check
 */
public record UnpackOptions(Mode mode, boolean root, String expectedDiffId) {
    /** What the target directory is. */
    public enum Mode {
        /**
         * A fresh empty directory that becomes one overlayfs lower layer (containerd's overlay
         * snapshotter): {@code .wh.NAME} becomes a whiteout (character device 0/0 named NAME),
         * {@code .wh..wh..opq} the xattr {@code trusted.overlay.opaque=y} on its directory
         * ({@code user.overlay.opaque} when not root, for mounts with {@code userxattr}).
         */
        OVERLAY,
        /**
         * The layer applied onto an existing tree (a copying snapshotter, {@code nido import}):
         * {@code .wh.NAME} removes NAME, {@code .wh..wh..opq} empties its directory of what was
         * there before this layer.
         */
        APPLY
    }

    public UnpackOptions {
        Objects.requireNonNull(mode, "mode");
    }

    /** {@code mode} with {@code root} told by this process's effective uid, no DiffID check. */
    public static UnpackOptions of(Mode mode) {
        return new UnpackOptions(mode, LayerUnpacker.runningAsRoot(), null);
    }

    public UnpackOptions withExpectedDiffId(String diffId) {
        return new UnpackOptions(mode, root, diffId);
    }
}
