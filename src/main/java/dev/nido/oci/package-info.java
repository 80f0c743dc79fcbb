/**
 * The OCI runtime-spec contract: records mirroring {@code config.json} and the state and features
 * documents, their JSON codecs ({@link dev.nido.oci.Json}, {@link dev.nido.oci.SpecReader}) and
 * validation that reports every violation with its JSON path ({@link dev.nido.oci.SpecValidator}).
 * Also the pure parts of the spec's vocabulary the runtime needs: mount option flags, capability,
 * rlimit and namespace names with their kernel numbers, and what {@code spec} writes by default.
 * It must not do I/O beyond reading and writing JSON (the validator's one look at the filesystem
 * is whether the bundle's rootfs directory exists), and it knows nothing of the kernel calls.
 */
package dev.nido.oci;
