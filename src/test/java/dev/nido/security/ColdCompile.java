package dev.nido.security;

import dev.nido.oci.Capability;
import dev.nido.oci.Seccomp;
import java.util.EnumSet;
import java.util.Set;

/**
 * Measures what a container start pays: the first profile and compile of the default seccomp
 * profile in a fresh JVM. The capability set is made first and timed apart: the runtime has
 * {@link Capability} loaded from reading the spec before it compiles a filter. Run after
 * {@code mvn test-compile}, best with the runtime's flags:
 * {@code java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp target/classes:target/test-classes dev.nido.security.ColdCompile [--text]}.
 */
final class ColdCompile {
    private ColdCompile() {
    }

    public static void main(String[] args) {
        long t0 = System.nanoTime();
        Set<Capability> caps = EnumSet.of(Capability.CAP_CHOWN, Capability.CAP_KILL, Capability.CAP_SYS_CHROOT);
        long t1 = System.nanoTime();
        Seccomp profile = DefaultSeccomp.profile(caps, Arch.nativeArch());
        long t2 = System.nanoTime();
        SeccompProgram program = SeccompCompiler.compile(profile, Arch.nativeArch());
        long t3 = System.nanoTime();
        System.out.println("default seccomp profile (" + Arch.nativeArch() + "): " + program.instructionCount()
                + " instructions; cold: profile " + (t2 - t1) / 1000 + " us + compile " + (t3 - t2) / 1000
                + " us = " + (t3 - t1) / 1000 + " us (capability set " + (t1 - t0) / 1000 + " us)");
        if (args.length > 0) {
            System.out.print(BpfDisassembler.toText(program.bpf()));
        }
    }
}
