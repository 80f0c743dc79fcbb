package dev.nido.security;

import dev.nido.oci.Seccomp;
import dev.nido.oci.SeccompSyscall;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code linux.seccomp} checked and sorted by architecture: what {@link SeccompCompiler} lays out.
 *
 * @param defaultAction the {@code SECCOMP_RET_*} value for syscalls no rule decides
 * @param flags         the {@code SECCOMP_FILTER_FLAG_*} bits for seccomp(2)
 * @param arches        the rules of each architecture the filter admits, the native one first
 * @param skipped       syscall names no admitted architecture has, in spec order
 */
record Profile(int defaultAction, int flags, List<ArchRules> arches, List<String> skipped) {
    static final String PATH = "linux.seccomp";
    /** {@code SECCOMP_FILTER_FLAG_NEW_LISTENER}. */
    static final int FLAG_NEW_LISTENER = 8;
    private static final String[] FLAG_NAMES = {"SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
        "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"};
    private static final int[] FLAG_BITS = {2, 4, 32};
    /** Names of the runtime-spec that this compiler accepts but does not compile (see {@link Arch}). */
    private static final Set<String> OTHER_ARCHES = Set.of("SCMP_ARCH_ARM", "SCMP_ARCH_MIPS",
            "SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64",
            "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC", "SCMP_ARCH_PPC64", "SCMP_ARCH_PPC64LE", "SCMP_ARCH_S390",
            "SCMP_ARCH_S390X", "SCMP_ARCH_PARISC", "SCMP_ARCH_PARISC64", "SCMP_ARCH_RISCV64",
            "SCMP_ARCH_LOONGARCH64", "SCMP_ARCH_M68K", "SCMP_ARCH_SH", "SCMP_ARCH_SHEB");
    private static final String NOTIFY = "SCMP_ACT_NOTIFY";

    /** Reads {@code spec} for a CPU whose native ABI is {@code nativeArch}. */
    static Profile read(Seccomp spec, Arch nativeArch) {
        int defaultAction = SeccompAction.returnValue(spec.defaultAction(), spec.defaultErrnoRet(), -1);
        List<ArchRules> arches = arches(spec.architectures(), nativeArch);
        List<String> skipped = new ArrayList<>();
        boolean notify = NOTIFY.equals(spec.defaultAction());
        boolean clone3Named = false;
        for (int i = 0; i < spec.syscalls().size(); i++) {
            SeccompSyscall entry = spec.syscalls().get(i);
            Rule rule = Rule.of(conditions(entry, i), SeccompAction.returnValue(entry.action(), entry.errnoRet(), i));
            notify |= NOTIFY.equals(entry.action());
            for (String name : entry.names()) {
                clone3Named |= "clone3".equals(name);
                add(arches, name, rule, skipped);
            }
        }
        if (!clone3Named && (defaultAction & SeccompAction.ACTION_MASK) == SeccompAction.errno(0)) {
            Rule enosys = Rule.of(List.of(), SeccompAction.errno(SeccompAction.ENOSYS));
            for (ArchRules rules : arches) {
                rules.addImplied("clone3", enosys);
            }
        }
        int flags = flags(spec.flags()) | (notify ? FLAG_NEW_LISTENER : 0);
        return new Profile(defaultAction, flags, arches, List.copyOf(skipped));
    }

    private static void add(List<ArchRules> arches, String name, Rule rule, List<String> skipped) {
        boolean known = false;
        for (ArchRules rules : arches) {
            known |= rules.add(name, rule);
        }
        if (!known && !skipped.contains(name)) {
            skipped.add(name);
        }
    }

    private static List<ArgCondition> conditions(SeccompSyscall entry, int rule) {
        List<ArgCondition> conditions = new ArrayList<>(entry.args().size());
        for (int j = 0; j < entry.args().size(); j++) {
            conditions.add(ArgCondition.of(entry.args().get(j), rule, j));
        }
        return conditions;
    }

    /** The native arch first, then each listed one that runs on this CPU, once. */
    private static List<ArchRules> arches(List<String> names, Arch nativeArch) {
        Set<Arch> admitted = new LinkedHashSet<>();
        admitted.add(nativeArch);
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            Arch arch = Arch.fromSpecName(name);
            if (arch != null && arch.runsOn(nativeArch)) {
                admitted.add(arch);
            } else if (arch == null && !OTHER_ARCHES.contains(name)) {
                throw new ConfinementException(PATH + ".architectures[" + i + "]: unknown architecture "
                        + Text.quote(name) + " (expected one of " + specNames()
                        + " or another SCMP_ARCH_ name of the runtime-spec)");
            }
        }
        List<ArchRules> arches = new ArrayList<>(admitted.size());
        for (Arch arch : admitted) {
            arches.add(new ArchRules(arch));
        }
        return arches;
    }

    private static String specNames() {
        StringBuilder b = new StringBuilder();
        for (Arch a : Arch.values()) {
            b.append(b.isEmpty() ? "" : ", ").append(a.specName());
        }
        return b.toString();
    }

    /** Where rule {@code rule} is: {@code linux.seccomp.syscalls[3]}, or the top for -1. */
    static String rulePath(int rule) {
        return rule < 0 ? PATH : PATH + ".syscalls[" + rule + "]";
    }

    private static int flags(List<String> names) {
        int flags = 0;
        for (int i = 0; i < names.size(); i++) {
            flags |= flag(names.get(i), i);
        }
        return flags;
    }

    private static int flag(String name, int i) {
        for (int f = 0; f < FLAG_NAMES.length; f++) {
            if (FLAG_NAMES[f].equals(name)) {
                return FLAG_BITS[f];
            }
        }
        throw new ConfinementException(PATH + ".flags[" + i + "]: unknown flag " + Text.quote(name)
                + " (expected one of " + String.join(", ", FLAG_NAMES) + ")");
    }
}
