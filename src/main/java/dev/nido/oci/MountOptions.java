package dev.nido.oci;

/**
 * A mount's {@code options} turned into what the kernel takes. {@code flags} go to mount(2)
 * ({@code MS_*}, see {@link Mounts}); {@code clearFlags} are flags an option explicitly turned off
 * ({@code rw}, {@code suid} ...), which matters when remounting a bind mount. {@code propagation} is
 * a propagation change applied after the mount (0 for none). {@code recursiveSet} and
 * {@code recursiveClear} are {@code MOUNT_ATTR_*} bits for mount_setattr(2) with AT_RECURSIVE (the
 * {@code rro}, {@code rnosuid} ... options). {@code data} is the filesystem's own options joined with
 * commas ({@code mode=755,size=65536k}), empty if none. {@code tmpcopyup}, {@code idmap} and
 * {@code recursiveIdmap} are runtime extensions: copy the underlying directory into a new tmpfs, and
 * make the mount id-mapped with the mount's {@code uidMappings}/{@code gidMappings}.
 */
public record MountOptions(
        long flags,
        long clearFlags,
        long propagation,
        long recursiveSet,
        long recursiveClear,
        boolean bind,
        boolean recursiveBind,
        String data,
        boolean tmpcopyup,
        boolean idmap,
        boolean recursiveIdmap) {

    /** Whether mount(2) flag {@code flag} is set. */
    public boolean has(long flag) {
        return (flags & flag) == flag;
    }
}
