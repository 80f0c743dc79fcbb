/**
 * The command lines: {@code nido-runtime} (runc-compatible) and {@code nido}. Parses flags,
 * formats output (tables, JSON), prints errors as one line and picks exit codes; holds no
 * logic that a test could not reach without the CLI. Nothing imports this package.
 */
package dev.nido.cli;
