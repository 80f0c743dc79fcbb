/**
 * Layer archives: a streaming tar reader (ustar, GNU long names, PAX), gzip/zstd detection with
 * the DiffID computed on the way, {@link dev.nido.image.unpack.LayerUnpacker} (an overlay lower
 * layer, or a layer applied onto a tree) and {@link dev.nido.image.unpack.TarWriter} (trees and
 * overlay upper directories back into layers). A layer is hostile input: every path is resolved
 * inside the target as openat2(RESOLVE_IN_ROOT) would, and nothing here writes outside it. It
 * reaches the kernel only through {@code dev.nido.linux.Syscalls} and Java NIO, and knows
 * nothing about registries, manifests or containers.
 */
package dev.nido.image.unpack;
