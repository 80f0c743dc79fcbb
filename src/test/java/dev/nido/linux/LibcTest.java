package dev.nido.linux;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LibcTest {
    @Test
    void theSharedCallShapeIsOnlyForLinuxOnX8664AndAArch64() {
        assertThat(Libc.unsupportedReason("Linux", "amd64")).isNull();
        assertThat(Libc.unsupportedReason("Linux", "aarch64")).isNull();
        assertThat(Libc.unsupportedReason("Linux", "riscv64")).contains("os.arch riscv64 is not supported");
        assertThat(Libc.unsupportedReason("Linux", "x86")).contains("os.arch x86 is not supported");
        assertThat(Libc.unsupportedReason("Linux", "ppc64le")).contains("ppc64le");
        // Apple's arm64 ABI passes variadic arguments on the stack.
        assertThat(Libc.unsupportedReason("Mac OS X", "aarch64")).contains("only on Linux");
    }
}
