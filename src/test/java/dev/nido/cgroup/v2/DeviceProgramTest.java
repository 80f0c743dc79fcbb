package dev.nido.cgroup.v2;

import static dev.nido.cgroup.v2.DeviceProgram.ACC_MKNOD;
import static dev.nido.cgroup.v2.DeviceProgram.ACC_READ;
import static dev.nido.cgroup.v2.DeviceProgram.ACC_WRITE;
import static dev.nido.cgroup.v2.DeviceProgram.DEV_BLOCK;
import static dev.nido.cgroup.v2.DeviceProgram.DEV_CHAR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nido.oci.DeviceCgroup;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class DeviceProgramTest {
    private static final DeviceCgroup DENY_ALL = new DeviceCgroup(false, "a", null, null, "rwm");
    private static final DeviceCgroup NULL_RWM = new DeviceCgroup(true, "c", 1L, 3L, "rwm");

    @Test
    void oneRuleProgramByteForByte() {
        byte[] program = DeviceProgram.generate(List.of(new DeviceCgroup(true, "c", 1L, 3L, "r")));
        assertThat(HexFormat.of().formatHex(program)).isEqualTo(String.join("",
                // prologue: r2 = type, r3 = access, r4 = major, r5 = minor
                "6112000000000000", // ldxw r2 = *(u32 *)(r1 + 0)
                "54020000ffff0000", // w2 &= 0xffff
                "6113000000000000", // ldxw r3 = *(u32 *)(r1 + 0)
                "7403000010000000", // w3 >>= 16
                "6114040000000000", // ldxw r4 = *(u32 *)(r1 + 4)
                "6115080000000000", // ldxw r5 = *(u32 *)(r1 + 8)
                // c 1:3 r
                "5502070002000000", // if r2 != 2 (char) goto +7
                "bc31000000000000", // w1 = w3
                "5401000002000000", // w1 &= 2 (read)
                "5d31040000000000", // if r1 != r3 goto +4
                "5504030001000000", // if r4 != 1 goto +3
                "5505020003000000", // if r5 != 3 goto +2
                "b400000001000000", // w0 = 1
                "9500000000000000", // exit
                // default deny
                "b400000000000000", // w0 = 0
                "9500000000000000")); // exit
    }

    @Test
    void aRuleThatMatchesEverythingEndsTheProgram() {
        // The verifier refuses unreachable code: nothing may follow a catch-all block.
        List<Bpf> insns = DeviceProgram.instructions(List.of(NULL_RWM, new DeviceCgroup(true, "a", null, null, "rwm")));
        assertThat(insns).hasSize(6 + 2);
        assertThat(insns.getLast()).isEqualTo(Bpf.exit());
        assertThat(insns.get(6)).isEqualTo(Bpf.movImm(Bpf.R0, 1));
    }

    @Test
    void encodeAndDecodeAreInverse() {
        List<Bpf> insns = DeviceProgram.instructions(List.of(DENY_ALL, NULL_RWM));
        assertThat(Bpf.decode(Bpf.encode(insns))).isEqualTo(insns);
    }

    @Test
    void refusesWhatTheKernelCannotExpress() {
        assertThatThrownBy(() -> DeviceProgram.generate(List.of(new DeviceCgroup(true, "p", 1L, 3L, "r"))))
                .hasMessage("device type must be a, b or c, got \"p\"");
        assertThatThrownBy(() -> DeviceProgram.generate(List.of(new DeviceCgroup(true, "c", 1L, 3L, "rx"))))
                .hasMessage("device access must be letters of rwm, got \"rx\"");
        assertThatThrownBy(() -> DeviceProgram.generate(List.of(new DeviceCgroup(true, "c", 1L << 32, 3L, "r"))))
                .hasMessage("device major 4294967296 is out of range");
    }

    static Stream<Arguments> decisions() {
        List<DeviceCgroup> nullOnly = List.of(DENY_ALL, NULL_RWM);
        List<DeviceCgroup> zeroReadOnly = List.of(DENY_ALL, new DeviceCgroup(true, "c", 1L, 5L, "r"));
        List<DeviceCgroup> anyTtyMinor = List.of(DENY_ALL, new DeviceCgroup(true, "c", 136L, null, "rwm"));
        List<DeviceCgroup> anyCharMknod = List.of(DENY_ALL, new DeviceCgroup(true, "c", null, null, "m"),
                new DeviceCgroup(true, "b", null, null, "m"));
        List<DeviceCgroup> negativeWildcard = List.of(DENY_ALL, new DeviceCgroup(true, "c", -1L, 7L, "rw"));
        List<DeviceCgroup> laterDenies = List.of(DENY_ALL, NULL_RWM, new DeviceCgroup(false, "c", 1L, 3L, "w"));
        List<DeviceCgroup> laterAllows = List.of(DENY_ALL, new DeviceCgroup(false, "c", 1L, 3L, "rwm"), NULL_RWM);
        List<DeviceCgroup> allowAllThenDeny = List.of(new DeviceCgroup(true, "a", null, null, "rwm"),
                new DeviceCgroup(false, "b", 8L, null, "rwm"));
        List<DeviceCgroup> nullTypeAndAccess = List.of(new DeviceCgroup(true, null, 1L, 3L, null));
        return Stream.of(
                Arguments.of("no rules: default deny", List.of(), DEV_CHAR, 1, 3, ACC_READ, false),
                Arguments.of("/dev/null read", nullOnly, DEV_CHAR, 1, 3, ACC_READ, true),
                Arguments.of("/dev/null read+write", nullOnly, DEV_CHAR, 1, 3, ACC_READ | ACC_WRITE, true),
                Arguments.of("/dev/null mknod", nullOnly, DEV_CHAR, 1, 3, ACC_MKNOD, true),
                Arguments.of("/dev/sda denied", nullOnly, DEV_BLOCK, 8, 0, ACC_READ, false),
                Arguments.of("block 1:3 is not char 1:3", nullOnly, DEV_BLOCK, 1, 3, ACC_READ, false),
                Arguments.of("/dev/zero denied", nullOnly, DEV_CHAR, 1, 5, ACC_READ, false),
                Arguments.of("r allows read", zeroReadOnly, DEV_CHAR, 1, 5, ACC_READ, true),
                Arguments.of("r denies write", zeroReadOnly, DEV_CHAR, 1, 5, ACC_WRITE, false),
                Arguments.of("r denies read+write", zeroReadOnly, DEV_CHAR, 1, 5, ACC_READ | ACC_WRITE, false),
                Arguments.of("r denies mknod", zeroReadOnly, DEV_CHAR, 1, 5, ACC_MKNOD, false),
                Arguments.of("wildcard minor", anyTtyMinor, DEV_CHAR, 136, 42, ACC_WRITE, true),
                Arguments.of("wildcard minor, other major", anyTtyMinor, DEV_CHAR, 137, 42, ACC_WRITE, false),
                Arguments.of("wildcard major+minor mknod char", anyCharMknod, DEV_CHAR, 10, 200, ACC_MKNOD, true),
                Arguments.of("wildcard major+minor mknod block", anyCharMknod, DEV_BLOCK, 8, 1, ACC_MKNOD, true),
                Arguments.of("wildcard major+minor no read", anyCharMknod, DEV_CHAR, 10, 200, ACC_READ, false),
                Arguments.of("negative major is a wildcard", negativeWildcard, DEV_CHAR, 99, 7, ACC_READ, true),
                Arguments.of("negative major, other minor", negativeWildcard, DEV_CHAR, 99, 8, ACC_READ, false),
                Arguments.of("later deny w overrides", laterDenies, DEV_CHAR, 1, 3, ACC_WRITE, false),
                Arguments.of("later deny w keeps r", laterDenies, DEV_CHAR, 1, 3, ACC_READ, true),
                Arguments.of("later allow overrides deny", laterAllows, DEV_CHAR, 1, 3, ACC_WRITE, true),
                Arguments.of("allow all, then deny sd*", allowAllThenDeny, DEV_BLOCK, 8, 16, ACC_READ, false),
                Arguments.of("allow all, then deny sd*: others", allowAllThenDeny, DEV_CHAR, 8, 16, ACC_READ, true),
                Arguments.of("null type and access: a and rwm", nullTypeAndAccess, DEV_BLOCK, 1, 3, ACC_WRITE, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decisions")
    void decides(String name, List<DeviceCgroup> rules, int type, int major, int minor, int access, boolean allowed) {
        long verdict = BpfInterpreter.run(DeviceProgram.generate(rules), type, access, major, minor);
        assertThat(verdict).as(name).isEqualTo(allowed ? 1 : 0);
    }
}
