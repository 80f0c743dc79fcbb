package dev.nido.oci;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The resource limits Linux has, with their numbers from {@code <asm-generic/resource.h>}
 * (getrlimit(2)), as x86-64 and arm64 number them. The constant names are the spec's strings.
 */
public enum RlimitType {
    /** 0 */
    RLIMIT_CPU(0),
    /** 1 */
    RLIMIT_FSIZE(1),
    /** 2 */
    RLIMIT_DATA(2),
    /** 3 */
    RLIMIT_STACK(3),
    /** 4 */
    RLIMIT_CORE(4),
    /** 5 */
    RLIMIT_RSS(5),
    /** 6 */
    RLIMIT_NPROC(6),
    /** 7 */
    RLIMIT_NOFILE(7),
    /** 8 */
    RLIMIT_MEMLOCK(8),
    /** 9 */
    RLIMIT_AS(9),
    /** 10 */
    RLIMIT_LOCKS(10),
    /** 11 */
    RLIMIT_SIGPENDING(11),
    /** 12 */
    RLIMIT_MSGQUEUE(12),
    /** 13 */
    RLIMIT_NICE(13),
    /** 14 */
    RLIMIT_RTPRIO(14),
    /** 15 */
    RLIMIT_RTTIME(15);

    private final int number;

    RlimitType(int number) {
        this.number = number;
    }

    /** The resource number setrlimit(2) and prlimit(2) take. */
    public int number() {
        return number;
    }

    /** The limit with this spec name ({@code "RLIMIT_NOFILE"}), if Linux has it. */
    public static Optional<RlimitType> byName(String name) {
        return Arrays.stream(values()).filter(t -> t.name().equals(name)).findFirst();
    }

    /** All names, in number order. */
    public static List<String> names() {
        return Arrays.stream(values()).map(Enum::name).toList();
    }
}
