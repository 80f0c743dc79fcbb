package dev.nido.security;

import dev.nido.oci.Capability;
import dev.nido.oci.RuntimeSpec;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The confinement a default container gets on top of {@code dev.nido.oci.DefaultSpec}: the
 * seccomp profile of {@link DefaultSeccomp}, matched to the process's bounding capabilities (a
 * capability the container has also opens the syscalls it guards, as Docker's profile does).
 */
public final class DefaultConfinement {
    private DefaultConfinement() {
    }

    /** {@code spec} with the default seccomp profile for this machine's architecture. */
    public static RuntimeSpec withDefaultSeccomp(RuntimeSpec spec) {
        Set<Capability> caps = EnumSet.noneOf(Capability.class);
        List<String> bounding = spec.process() == null || spec.process().capabilities() == null ? null
                : spec.process().capabilities().bounding();
        if (bounding != null) {
            for (String name : bounding) {
                Capability.byName(name).ifPresent(caps::add);
            }
        }
        return spec.withLinux(spec.linux().withSeccomp(DefaultSeccomp.profile(caps, Arch.nativeArch())));
    }
}
