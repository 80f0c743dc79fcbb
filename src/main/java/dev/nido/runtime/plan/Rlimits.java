package dev.nido.runtime.plan;

import java.util.List;

/** RLIMIT_* names and numbers (asm-generic/resource.h, x86_64). */
public final class Rlimits {
    /** Index = resource number. */
    public static final List<String> NAMES = List.of("RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_DATA",
            "RLIMIT_STACK", "RLIMIT_CORE", "RLIMIT_RSS", "RLIMIT_NPROC", "RLIMIT_NOFILE", "RLIMIT_MEMLOCK",
            "RLIMIT_AS", "RLIMIT_LOCKS", "RLIMIT_SIGPENDING", "RLIMIT_MSGQUEUE", "RLIMIT_NICE", "RLIMIT_RTPRIO",
            "RLIMIT_RTTIME");

    private Rlimits() {
    }

    /** The resource number of a name, or -1. */
    public static int resource(String name) {
        return NAMES.indexOf(name);
    }

    static String show(long v) {
        return v == -1L ? "unlimited" : Long.toUnsignedString(v);
    }
}
