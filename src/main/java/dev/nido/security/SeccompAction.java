package dev.nido.security;

/**
 * The runtime-spec's action names and the {@code SECCOMP_RET_*} values a filter returns for them
 * ({@code <linux/seccomp.h>}, seccomp(2)). The low 16 bits ({@code SECCOMP_RET_DATA}) carry the
 * errno of {@code ERRNO} and the message of {@code TRACE}.
 */
enum SeccompAction {
    /** Kills the thread: {@code SECCOMP_RET_KILL_THREAD}, as libseccomp's {@code SCMP_ACT_KILL}. */
    SCMP_ACT_KILL(0x00000000, false),
    SCMP_ACT_KILL_THREAD(0x00000000, false),
    /** {@code SECCOMP_RET_KILL_PROCESS}. */
    SCMP_ACT_KILL_PROCESS(0x80000000, false),
    /** {@code SECCOMP_RET_TRAP}: SIGSYS. */
    SCMP_ACT_TRAP(0x00030000, false),
    /** {@code SECCOMP_RET_ERRNO} with the errno in the data. */
    SCMP_ACT_ERRNO(0x00050000, true),
    /** {@code SECCOMP_RET_TRACE} with the message for the ptracer in the data. */
    SCMP_ACT_TRACE(0x7ff00000, true),
    /** {@code SECCOMP_RET_LOG}. */
    SCMP_ACT_LOG(0x7ffc0000, false),
    /** {@code SECCOMP_RET_ALLOW}. */
    SCMP_ACT_ALLOW(0x7fff0000, false),
    /** {@code SECCOMP_RET_USER_NOTIF}: the listener decides. */
    SCMP_ACT_NOTIFY(0x7fc00000, false);

    /** {@code EPERM}: the data of ERRNO and TRACE when the spec gives none. */
    static final int EPERM = 1;
    /** {@code ENOSYS}: what a syscall newer than the profile returns. */
    static final int ENOSYS = 38;
    /** {@code SECCOMP_RET_ACTION_FULL}. */
    static final int ACTION_MASK = 0xffff0000;
    /** {@code SECCOMP_RET_DATA}. */
    static final int DATA_MASK = 0x0000ffff;

    private final int base;
    private final boolean takesData;

    SeccompAction(int base, boolean takesData) {
        this.base = base;
        this.takesData = takesData;
    }

    /** The return value {@code SECCOMP_RET_ERRNO | errno}. */
    static int errno(int errno) {
        return SCMP_ACT_ERRNO.base | errno;
    }

    /**
     * The return value of action {@code name} with data {@code errnoRet} (EPERM when null), for
     * rule number {@code rule} of the spec, or for the default action when {@code rule} is -1.
     */
    static int returnValue(String name, Long errnoRet, int rule) {
        SeccompAction action = byName(name, rule);
        if (!action.takesData) {
            return action.base;
        }
        if (errnoRet == null) {
            return action.base | EPERM;
        }
        if (errnoRet < 0 || errnoRet > DATA_MASK) {
            String field = rule < 0 ? ".defaultErrnoRet" : ".errnoRet";
            throw new ConfinementException(Profile.rulePath(rule) + field + ": " + errnoRet
                    + " is out of range (expected 0 to 65535)");
        }
        return action.base | errnoRet.intValue();
    }

    private static SeccompAction byName(String name, int rule) {
        if (name != null) {
            for (SeccompAction a : values()) {
                if (a.name().equals(name)) {
                    return a;
                }
            }
        }
        String path = rule < 0 ? Profile.PATH + ".defaultAction" : Profile.rulePath(rule) + ".action";
        if (name == null) {
            throw new ConfinementException(path + ": must be set");
        }
        throw new ConfinementException(path + ": unknown action " + Text.quote(name)
                + " (expected one of " + Text.names(values()) + ")");
    }

    /** What return value {@code ret} does, as {@code ALLOW}, {@code ERRNO(38)} or {@code KILL_PROCESS}. */
    static String describe(int ret) {
        int data = ret & DATA_MASK;
        return switch (ret & ACTION_MASK) {
            case 0x80000000 -> "KILL_PROCESS";
            case 0x00000000 -> "KILL_THREAD";
            case 0x00030000 -> "TRAP";
            case 0x00050000 -> "ERRNO(" + data + ")";
            case 0x7fc00000 -> "NOTIFY";
            case 0x7ff00000 -> "TRACE(" + data + ")";
            case 0x7ffc0000 -> "LOG";
            case 0x7fff0000 -> "ALLOW";
            default -> "unknown action";
        };
    }

    /** Whether the action lets the syscall run (ALLOW, LOG). */
    static boolean lets(int ret) {
        int action = ret & ACTION_MASK;
        return action == SCMP_ACT_ALLOW.base || action == SCMP_ACT_LOG.base;
    }
}
