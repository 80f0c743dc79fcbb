package dev.nido.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SyscallTableTest {

    @Test
    void x86_64NumbersAreThoseOfUnistd64() {
        SyscallTable t = SyscallTable.of(Arch.X86_64);
        assertThat(t.number("read")).isZero();
        assertThat(t.number("openat")).isEqualTo(257);
        assertThat(t.number("clone3")).isEqualTo(435);
        assertThat(t.number("mount")).isEqualTo(165);
        assertThat(t.number("execve")).isEqualTo(59);
        assertThat(t.number("arch_prctl")).isEqualTo(158);
        assertThat(t.number("socketcall")).isEqualTo(-1);
    }

    @Test
    void i386NumbersAreThoseOfUnistd32() {
        SyscallTable t = SyscallTable.of(Arch.X86);
        assertThat(t.number("mount")).isEqualTo(21);
        assertThat(t.number("socketcall")).isEqualTo(102);
        assertThat(t.number("execve")).isEqualTo(11);
        assertThat(t.number("clone3")).isEqualTo(435);
        assertThat(t.number("clock_gettime64")).isEqualTo(403);
    }

    @Test
    void x32NumbersCarryTheX32Bit() {
        SyscallTable t = SyscallTable.of(Arch.X32);
        assertThat(t.number("read")).isEqualTo(0x40000000);
        assertThat(t.number("openat")).isEqualTo(0x40000000 | 257);
        assertThat(t.number("execve")).isEqualTo(0x40000000 | 520);
        assertThat(t.number("clone3")).isEqualTo(0x40000000 | 435);
    }

    @Test
    void aarch64UsesTheGenericTableAsArm64Configures() {
        SyscallTable t = SyscallTable.of(Arch.AARCH64);
        assertThat(t.number("openat")).isEqualTo(56);
        assertThat(t.number("clone")).isEqualTo(220);
        assertThat(t.number("execve")).isEqualTo(221);
        assertThat(t.number("clone3")).isEqualTo(435);
        assertThat(t.number("renameat")).isEqualTo(38);
        assertThat(t.number("fstat")).isEqualTo(80);
        assertThat(t.number("newfstatat")).isEqualTo(79);
        assertThat(t.number("getrlimit")).isEqualTo(163);
        assertThat(t.number("mmap")).isEqualTo(222);
        assertThat(t.number("open")).isEqualTo(-1);
        assertThat(t.number("fork")).isEqualTo(-1);
        assertThat(t.number("stat")).isEqualTo(-1);
        assertThat(t.number("arch_specific_syscall")).isEqualTo(-1);
    }

    @Test
    void syscallsNewerThanTheHeadersAreAdded() {
        for (Arch arch : Arch.values()) {
            int bit = arch == Arch.X32 ? Arch.X32_SYSCALL_BIT : 0;
            assertThat(SyscallTable.of(arch).number("cachestat")).as(arch.name()).isEqualTo(bit | 451);
            assertThat(SyscallTable.of(arch).number("fchmodat2")).as(arch.name()).isEqualTo(bit | 452);
            assertThat(SyscallTable.of(arch).number("file_setattr")).as(arch.name()).isEqualTo(bit | 469);
        }
        assertThat(SyscallTable.of(Arch.X86_64).number("map_shadow_stack")).isEqualTo(453);
        assertThat(SyscallTable.of(Arch.X32).number("map_shadow_stack")).isEqualTo(-1);
    }

    @Test
    void namesAreFoundByNumber() {
        assertThat(SyscallTable.of(Arch.X86_64).name(257)).isEqualTo("openat");
        assertThat(SyscallTable.of(Arch.X32).name(0x40000000 | 520)).isEqualTo("execve");
        assertThat(SyscallTable.of(Arch.X86_64).name(100_000)).isNull();
        assertThat(SyscallTable.of(Arch.X86_64).size()).isGreaterThan(350);
    }

    @Test
    void parseReadsNameNumberLinesAndRejectsDisorder() {
        SyscallTable t = SyscallTable.parse(bytes("# comment\nread 0\n\nwrite 1\nopen 2"), "t");
        assertThat(t.size()).isEqualTo(3);
        assertThat(t.number("open")).isEqualTo(2);
        assertThatThrownBy(() -> SyscallTable.parse(bytes("b 2\na 1\n"), "t"))
                .hasMessage("t: numbers must ascend");
        assertThatThrownBy(() -> SyscallTable.parse(bytes("read x\n"), "t")).hasMessage("t: a bad number");
        assertThatThrownBy(() -> SyscallTable.parse(bytes("read\n"), "t"))
                .hasMessage("t: a line is not \"name number\"");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
