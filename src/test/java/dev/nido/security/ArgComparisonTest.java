package dev.nido.security;

import static dev.nido.security.Specs.ALLOW;
import static dev.nido.security.Specs.arg;
import static dev.nido.security.Specs.errno;
import static dev.nido.security.Specs.masked;
import static dev.nido.security.Specs.rule;
import static dev.nido.security.Specs.spec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nido.oci.SeccompArg;
import dev.nido.oci.SeccompSyscall;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every comparison against a reference in Java, on values at the 32-bit word boundaries: high
 * words 0, 1 and 0xffffffff, low words 0, 1, 0x7fffffff, 0x80000000 and 0xffffffff.
 */
class ArgComparisonTest {
    private static final long[] VALUES = {0L, 1L, 2L, 0x7fffffffL, 0x80000000L, 0xfffffffeL, 0xffffffffL,
        0x1_00000000L, 0x1_00000001L, 0x1_ffffffffL, 0x2_00000000L, 0x7fffffff_ffffffffL, 0x80000000_00000000L,
        0xffffffff_00000000L, 0xffffffff_00000001L, 0xffffffff_fffffffeL, 0xffffffff_ffffffffL};
    private static final String[] OPS = {"EQ", "NE", "LT", "LE", "GT", "GE"};
    private static final int MATCHED = errno(77);

    @Test
    void sixtyFourBitComparisonsAreUnsigned() {
        for (String op : OPS) {
            for (long value : VALUES) {
                SeccompProgram p = program(Arch.AARCH64, arg(3, op, value));
                for (long a : VALUES) {
                    assertThat(run(p, Arch.AARCH64, a)).as("%s %s %x", Long.toHexString(a), op, value)
                            .isEqualTo(reference(op, a, value) ? MATCHED : ALLOW);
                }
            }
        }
    }

    @Test
    void maskedEqualComparesBothWords() {
        long[][] cases = {{0x7E020000L, 0}, {0xffL, 0x28L}, {0xffffffff_00000000L, 0x1_00000000L},
            {0xffffffff_ffffffffL, 0xffffffff_ffffffffL}, {0x1_00000001L, 0x1L}, {0, 0}, {0, 1}, {0x10L, 0x20L}};
        for (long[] c : cases) {
            SeccompProgram p = program(Arch.X86_64, masked(3, c[0], c[1]));
            for (long a : VALUES) {
                boolean expected = (a & c[0]) == c[1];
                assertThat(run(p, Arch.X86_64, a)).as("(%x & %x) == %x", a, c[0], c[1])
                        .isEqualTo(expected ? MATCHED : ALLOW);
            }
        }
    }

    @Test
    void i386ComparesTheLowWordWithTheValueTruncated() {
        for (String op : OPS) {
            for (long value : VALUES) {
                SeccompProgram p = program(Arch.X86, arg(3, op, value));
                for (long a : VALUES) {
                    long low = a & 0xffffffffL;
                    assertThat(run32(p, low)).as("i386 %x %s %x", low, op, value)
                            .isEqualTo(reference(op, low, value & 0xffffffffL) ? MATCHED : ALLOW);
                }
            }
        }
        SeccompProgram p = program(Arch.X86, masked(3, 0x1_000000ffL, 0x1_00000028L));
        assertThat(run32(p, 0x28)).isEqualTo(MATCHED);
        assertThat(run32(p, 0x29)).isEqualTo(ALLOW);
    }

    @Test
    void x32ComparesSixtyFourBits() {
        SeccompProgram p = SeccompCompiler.compile(spec("SCMP_ACT_ALLOW", List.of("SCMP_ARCH_X32"),
                new SeccompSyscall(List.of("ioctl"), "SCMP_ACT_ERRNO", 77L, List.of(arg(3, "EQ", 0x1_00000000L)))),
                Arch.X86_64);
        assertThat(Specs.run(p, Arch.X32, "ioctl", 0, 0, 0, 0x1_00000000L)).isEqualTo(MATCHED);
        assertThat(Specs.run(p, Arch.X32, "ioctl", 0, 0, 0, 0)).isEqualTo(ALLOW);
    }

    private static SeccompProgram program(Arch arch, SeccompArg condition) {
        String arches = arch == Arch.X86 ? "SCMP_ARCH_X86" : arch.specName();
        Arch nativeArch = arch == Arch.X86 ? Arch.X86_64 : arch;
        return SeccompCompiler.compile(spec("SCMP_ACT_ALLOW", List.of(arches),
                new SeccompSyscall(List.of("ioctl"), "SCMP_ACT_ERRNO", 77L, List.of(condition)),
                rule("read", "SCMP_ACT_ALLOW")), nativeArch);
    }

    private static int run(SeccompProgram p, Arch arch, long a) {
        return Specs.run(p, arch, "ioctl", 0, 0, 0, a);
    }

    private static int run32(SeccompProgram p, long a) {
        return Specs.run(p, Arch.X86, "ioctl", 0, 0, 0, a);
    }

    private static boolean reference(String op, long a, long value) {
        int c = Long.compareUnsigned(a, value);
        return switch (op) {
            case "EQ" -> c == 0;
            case "NE" -> c != 0;
            case "LT" -> c < 0;
            case "LE" -> c <= 0;
            case "GT" -> c > 0;
            case "GE" -> c >= 0;
            default -> throw new IllegalArgumentException(op);
        };
    }
}
