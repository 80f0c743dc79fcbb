/**
 * Confinement policy as data: compiles {@code linux.seccomp} into a classic BPF program for
 * seccomp(2) ({@link dev.nido.security.SeccompCompiler}), explains such a program as text
 * ({@link dev.nido.security.BpfDisassembler}) and writes the default profile
 * ({@link dev.nido.security.DefaultSeccomp}). It produces bytes and records only: it never calls
 * the kernel, so it must not use {@code dev.nido.linux}, the Foreign Function &amp; Memory API, the runtime or
 * the CLI. See {@code docs/seccomp.md} for the layout of the filters it writes.
 */
package dev.nido.security;
