package dev.nido.runtime;

import dev.nido.oci.Seccomp;
import dev.nido.oci.SeccompSyscall;
import dev.nido.security.Arch;
import dev.nido.security.SeccompCompiler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SeccompCacheTest {
    private static Seccomp profile(String errnoName) {
        return new Seccomp("SCMP_ACT_ALLOW", null, List.of("SCMP_ARCH_X86_64"), null, null, null,
                List.of(new SeccompSyscall(List.of(errnoName), "SCMP_ACT_ERRNO", 1L, null)));
    }

    @Test
    void aProfileIsCompiledOnceAndAChangedOneAgain(@TempDir Path dir) throws Exception {
        Seccomp p = profile("mkdir");
        byte[] direct = SeccompCompiler.compile(p, Arch.X86_64).bpf();
        assertThat(SeccompCache.compile(dir, p, Arch.X86_64).bpf()).isEqualTo(direct);
        List<Path> entries;
        try (var s = Files.list(dir)) {
            entries = s.toList();
        }
        assertThat(entries).hasSize(1);
        // a hit comes from the file: change its BPF bytes and the change shows
        byte[] raw = Files.readAllBytes(entries.getFirst());
        raw[raw.length - 1] ^= 1;
        Files.write(entries.getFirst(), raw);
        assertThat(SeccompCache.compile(dir, p, Arch.X86_64).bpf()).isNotEqualTo(direct);
        // another profile is another key; a truncated entry is a miss, compiled again
        Seccomp q = profile("rmdir");
        assertThat(SeccompCache.compile(dir, q, Arch.X86_64).bpf()).isEqualTo(SeccompCompiler.compile(q, Arch.X86_64).bpf());
        Files.write(entries.getFirst(), new byte[] {0, 0, 0, 9});
        assertThat(SeccompCache.compile(dir, p, Arch.X86_64).bpf()).isEqualTo(direct);
        assertThat(SeccompCache.compile(null, p, Arch.X86_64).bpf()).isEqualTo(direct);
    }
}
