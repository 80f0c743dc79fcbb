package dev.nido.security;

import dev.nido.oci.Capabilities;
import dev.nido.oci.Capability;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Capability names against the running kernel. A name nido does not know at all is a spec error
 * (see oci validation); a name it knows but the kernel does not (its number is above
 * {@code /proc/sys/kernel/cap_last_cap}, e.g. CAP_CHECKPOINT_RESTORE on a 5.4 kernel) cannot be
 * granted: it is dropped with a warning, as runc and crun do.
 */
public final class CapabilitySets {
    private CapabilitySets() {
    }

    /** The names in any of the five sets that this kernel does not have, once each, in order. */
    public static List<String> beyondKernel(Capabilities caps, int lastCap) {
        Set<String> out = new LinkedHashSet<>();
        if (caps == null) {
            return List.of();
        }
        for (List<String> set : sets(caps)) {
            for (String name : set) {
                Capability.byName(name).filter(c -> c.number() > lastCap).ifPresent(c -> out.add(name));
            }
        }
        return List.copyOf(out);
    }

    /** The warning for {@link #beyondKernel}'s names. */
    public static String warning(List<String> names, int lastCap) {
        return "process.capabilities: " + String.join(", ", names) + " not known to this kernel (its last capability is "
                + lastCap + "): ignored";
    }

    private static List<List<String>> sets(Capabilities c) {
        List<List<String>> out = new ArrayList<>();
        for (List<String> s : java.util.Arrays.asList(c.bounding(), c.effective(), c.inheritable(), c.permitted(),
                c.ambient())) {
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }
}
