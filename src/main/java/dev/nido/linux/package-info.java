/**
 * The kernel boundary: system calls through the Foreign Function &amp; Memory API, errno names,
 * file descriptors, process spawning and signals, file metadata that must not follow symlinks
 * (owners, times, device nodes, extended attributes), behind the {@link dev.nido.linux.Syscalls}
 * interface (real, recording and explaining implementations). It is the only package that
 * uses {@code java.lang.foreign}, and it must not know about containers, images or networks.
 */
package dev.nido.linux;
