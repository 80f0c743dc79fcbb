package dev.nido.runtime;

import dev.nido.oci.Json;
import dev.nido.oci.Seccomp;
import dev.nido.runtime.plan.SeccompLoad;
import dev.nido.security.Arch;
import dev.nido.security.CapabilitySets;
import dev.nido.security.ConfinementException;
import dev.nido.security.SeccompProgram;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The confinement a process gets beyond its spec's plain fields: capability names checked against
 * this kernel (those it lacks are dropped with a warning), and {@code linux.seccomp} compiled to
 * the BPF bytes the helper loads.
 */
final class Confinement {
    private Confinement() {
    }

    /** The compiled filter, or null when the spec has no seccomp section. */
    static SeccompLoad prepare(RuntimeContext ctx, dev.nido.oci.Process p, Seccomp seccomp, int lastCap) {
        List<String> beyond = CapabilitySets.beyondKernel(p.capabilities(), lastCap);
        if (!beyond.isEmpty()) {
            ctx.warn(CapabilitySets.warning(beyond, lastCap));
        }
        if (seccomp == null) {
            return null;
        }
        try {
            // names unknown on this architecture are skipped without a word, as runc and crun do:
            // profiles list every architecture's names (open does not exist on arm64)
            SeccompProgram prog = SeccompCache.compile(seccomp, Arch.nativeArch());
            String metadata = new String(Json.writeCompact(seccomp.listenerMetadata() == null ? ""
                    : seccomp.listenerMetadata()), StandardCharsets.UTF_8);
            return new SeccompLoad(prog.bpf(), prog.flags(), seccomp.listenerPath(), metadata);
        } catch (ConfinementException e) {
            throw new ContainerException(e.getMessage(), e);
        }
    }
}
