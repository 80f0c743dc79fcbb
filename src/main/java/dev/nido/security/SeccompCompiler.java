package dev.nido.security;

import dev.nido.oci.Seccomp;
import dev.nido.security.Assembler.Label;
import java.util.List;
import java.util.Objects;

/**
 * Compiles {@code linux.seccomp} of the runtime-spec into a classic BPF filter for seccomp(2).
 *
 * <p>Layout (see {@code docs/seccomp.md}): the filter loads {@code seccomp_data.arch} and jumps to
 * the block of that architecture; any other value gets {@code SECCOMP_RET_KILL_PROCESS}. The native
 * architecture is always in; listed ones are added when they run on this CPU (x86 and x32 on
 * x86_64), others are ignored. In the {@code AUDIT_ARCH_X86_64} block a number with
 * {@code __X32_SYSCALL_BIT} goes to the x32 block, or is killed when x32 is not listed (number -1,
 * which a tracer uses to skip a call, stays x86_64). Each block binary-searches the syscall number
 * ({@link ArchBlock}) and runs the argument checks of the rules that have them.
 *
 * <p>Semantics:
 * <ul>
 * <li>The rules naming a syscall are tried in spec order; the first whose conditions hold gives
 *     the action, and when none holds the default action applies. A rule without conditions always
 *     holds.</li>
 * <li>The conditions of a rule are ANDed, except that when a rule has two or more conditions and
 *     all name the same argument index, one holding is enough (OR). libseccomp cannot AND two
 *     comparisons of one argument, so runc turns such a rule into one rule per condition, and
 *     profiles written for runc rely on that.</li>
 * <li>Comparisons are unsigned and 64-bit (high word, then low word); i386 compares the low 32
 *     bits only, with the value truncated.</li>
 * <li>Newer than the profile: when the default action does not let calls through (not ALLOW or
 *     LOG), a number above the largest one the profile names on that architecture returns
 *     {@code ERRNO(ENOSYS)}. A syscall the profile could not know about then looks unimplemented,
 *     so libc falls back to the older call it replaces instead of failing with EPERM. For the same
 *     reason {@code clone3}, when no rule names it and the default action is ERRNO, returns
 *     ENOSYS: glibc then uses {@code clone}, whose flags the profile can inspect (clone3 passes
 *     them in memory, out of the filter's reach).</li>
 * <li>Names an admitted architecture lacks are left out there; names none has are listed in
 *     {@link SeccompProgram#skipped()}.</li>
 * </ul>
 */
public final class SeccompCompiler {
    /** {@code SECCOMP_RET_KILL_PROCESS}: what a call from an architecture not in the filter gets. */
    static final int KILL_PROCESS = 0x80000000;

    private SeccompCompiler() {
    }

    /**
     * Compiles {@code spec} for a CPU whose native ABI is {@code nativeArch}.
     *
     * @throws ConfinementException when the spec names an unknown action, operator, flag or
     *                              architecture, has a bad argument, or needs more than 4096 instructions
     */
    public static SeccompProgram compile(Seccomp spec, Arch nativeArch) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(nativeArch, "nativeArch");
        Profile profile = Profile.read(spec, nativeArch);
        Assembler a = new Assembler();
        List<ArchRules> arches = profile.arches();
        a.load(Bpf.ARCH);
        Label[] entries = new Label[arches.size()];
        for (int i = 0; i < arches.size(); i++) {
            if (!isX32(arches.get(i)) || find(arches, Arch.X86_64) == null) {
                entries[i] = a.label();
                a.jumpIf(Bpf.JEQ_K, arches.get(i).arch().auditArch(), entries[i]);
            }
        }
        a.ret(KILL_PROCESS);
        for (int i = 0; i < arches.size(); i++) {
            if (entries[i] != null) {
                a.mark(entries[i]);
                block(a, arches, arches.get(i), profile.defaultAction());
            }
        }
        return new SeccompProgram(a.assemble(), profile.flags(), profile.skipped());
    }

    /** One {@code seccomp_data.arch} value: x86_64 and x32 share one and are split by the x32 bit. */
    private static void block(Assembler a, List<ArchRules> arches, ArchRules rules, int defaultAction) {
        a.load(Bpf.NR);
        if (rules.arch().auditArch() != Arch.X86_64.auditArch()) {
            ArchBlock.emit(a, rules, defaultAction);
            return;
        }
        ArchRules x86_64 = find(arches, Arch.X86_64);
        ArchRules x32 = find(arches, Arch.X32);
        Label native64 = a.label();
        Label x32Block = a.label();
        a.jumpUnless(Bpf.JSET_K, Arch.X32_SYSCALL_BIT, native64);
        a.jump(Bpf.JEQ_K, -1, native64, x32Block);
        if (x32 == null) {
            a.mark(x32Block);
            a.ret(KILL_PROCESS);
        }
        a.mark(native64);
        if (x86_64 == null) {
            a.ret(KILL_PROCESS);
        } else {
            ArchBlock.emit(a, x86_64, defaultAction);
        }
        if (x32 != null) {
            a.mark(x32Block);
            ArchBlock.emit(a, x32, defaultAction);
        }
    }

    private static boolean isX32(ArchRules rules) {
        return rules.arch() == Arch.X32;
    }

    private static ArchRules find(List<ArchRules> arches, Arch arch) {
        for (ArchRules r : arches) {
            if (r.arch() == arch) {
                return r;
            }
        }
        return null;
    }
}
