package dev.nido.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ArchTest {

    @Test
    void osArchNamesMapToAbis() {
        assertThat(Arch.fromOsArch("amd64")).isEqualTo(Arch.X86_64);
        assertThat(Arch.fromOsArch("x86_64")).isEqualTo(Arch.X86_64);
        assertThat(Arch.fromOsArch("aarch64")).isEqualTo(Arch.AARCH64);
        assertThat(Arch.fromOsArch("x86")).isEqualTo(Arch.X86);
        assertThat(Arch.nativeArch()).isIn(Arch.X86_64, Arch.AARCH64);
    }

    @Test
    void anUnsupportedCpuIsAnError() {
        assertThatThrownBy(() -> Arch.fromOsArch("riscv64")).isInstanceOf(ConfinementException.class)
                .hasMessage("seccomp: CPU architecture \"riscv64\" is not supported (expected amd64, aarch64 or x86)");
        assertThatThrownBy(() -> Arch.fromOsArch(null)).isInstanceOf(ConfinementException.class);
    }

    @Test
    void auditValuesAreThoseOfAuditH() {
        assertThat(Arch.X86_64.auditArch()).isEqualTo(0xC000003E);
        assertThat(Arch.X32.auditArch()).isEqualTo(0xC000003E);
        assertThat(Arch.X86.auditArch()).isEqualTo(0x40000003);
        assertThat(Arch.AARCH64.auditArch()).isEqualTo(0xC00000B7);
    }

    @Test
    void x86AndX32RunOnX86_64Only() {
        assertThat(Arch.X86.runsOn(Arch.X86_64)).isTrue();
        assertThat(Arch.X32.runsOn(Arch.X86_64)).isTrue();
        assertThat(Arch.X86.runsOn(Arch.AARCH64)).isFalse();
        assertThat(Arch.AARCH64.runsOn(Arch.X86_64)).isFalse();
        assertThat(Arch.fromSpecName("SCMP_ARCH_X32")).isEqualTo(Arch.X32);
        assertThat(Arch.fromSpecName("SCMP_ARCH_ARM")).isNull();
    }
}
