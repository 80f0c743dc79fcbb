package dev.nido.oci;

import java.util.List;

/** Validation of {@code linux.seccomp}: names of actions, operators, architectures and flags. */
final class SeccompRules {
    /** The actions of the runtime-spec (config-linux.md). */
    static final List<String> ACTIONS = List.of("SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD",
            "SCMP_ACT_TRAP", "SCMP_ACT_ERRNO", "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW", "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY");
    static final List<String> OPERATORS = List.of("SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ",
            "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ");
    static final List<String> ARCHITECTURES = List.of("SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32",
            "SCMP_ARCH_ARM", "SCMP_ARCH_AARCH64", "SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS64N32",
            "SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC", "SCMP_ARCH_PPC64",
            "SCMP_ARCH_PPC64LE", "SCMP_ARCH_S390", "SCMP_ARCH_S390X", "SCMP_ARCH_PARISC", "SCMP_ARCH_PARISC64",
            "SCMP_ARCH_RISCV64", "SCMP_ARCH_LOONGARCH64", "SCMP_ARCH_M68K", "SCMP_ARCH_SH", "SCMP_ARCH_SHEB");
    static final List<String> FLAGS = List.of("SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
            "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV");
    private static final String NOTIFY = "SCMP_ACT_NOTIFY";

    private SeccompRules() {
    }

    static void check(Seccomp s, String path, Violations v) {
        String defaultAction = JsonPath.field(path, "defaultAction");
        if (v.required(defaultAction, s.defaultAction())) {
            v.oneOf(defaultAction, "action", s.defaultAction(), ACTIONS);
        }
        for (int i = 0; i < s.architectures().size(); i++) {
            v.oneOf(JsonPath.index(JsonPath.field(path, "architectures"), i), "architecture",
                    s.architectures().get(i), ARCHITECTURES);
        }
        for (int i = 0; i < s.flags().size(); i++) {
            v.oneOf(JsonPath.index(JsonPath.field(path, "flags"), i), "flag", s.flags().get(i), FLAGS);
        }
        boolean notify = NOTIFY.equals(s.defaultAction());
        for (int i = 0; i < s.syscalls().size(); i++) {
            SeccompSyscall rule = s.syscalls().get(i);
            syscall(rule, JsonPath.index(JsonPath.field(path, "syscalls"), i), v);
            notify |= NOTIFY.equals(rule.action());
        }
        if (notify && (s.listenerPath() == null || s.listenerPath().isEmpty())) {
            v.add(JsonPath.field(path, "listenerPath"), "must be set when an action is " + NOTIFY);
        }
    }

    private static void syscall(SeccompSyscall rule, String at, Violations v) {
        if (rule.names().isEmpty()) {
            v.add(JsonPath.field(at, "names"), "must not be empty");
        }
        String action = JsonPath.field(at, "action");
        if (v.required(action, rule.action())) {
            v.oneOf(action, "action", rule.action(), ACTIONS);
        }
        for (int j = 0; j < rule.args().size(); j++) {
            SeccompArg arg = rule.args().get(j);
            String argPath = JsonPath.index(JsonPath.field(at, "args"), j);
            if (arg.index() == null) {
                v.add(JsonPath.field(argPath, "index"), "must be set");
            }
            v.range(JsonPath.field(argPath, "index"), arg.index(), 0, 5);
            if (arg.value() == null) {
                v.add(JsonPath.field(argPath, "value"), "must be set");
            }
            String op = JsonPath.field(argPath, "op");
            if (v.required(op, arg.op())) {
                v.oneOf(op, "operator", arg.op(), OPERATORS);
            }
        }
    }
}
