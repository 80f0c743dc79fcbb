package dev.nido.security;

import dev.nido.oci.Capabilities;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CapabilitySetsTest {
    @Test
    void capabilitiesAboveTheKernelsLastAreNamedOnce() {
        Capabilities c = new Capabilities(List.of("CAP_CHOWN", "CAP_CHECKPOINT_RESTORE", "CAP_BPF"),
                List.of("CAP_CHECKPOINT_RESTORE"), null, List.of("CAP_PERFMON"), null);
        // a 5.4 kernel: last capability 37 (CAP_AUDIT_READ); CAP_PERFMON 38, CAP_BPF 39, CAP_CHECKPOINT_RESTORE 40
        assertThat(CapabilitySets.beyondKernel(c, 37))
                .containsExactly("CAP_CHECKPOINT_RESTORE", "CAP_BPF", "CAP_PERFMON");
        assertThat(CapabilitySets.beyondKernel(c, 40)).isEmpty();
        assertThat(CapabilitySets.beyondKernel(null, 40)).isEmpty();
        assertThat(CapabilitySets.warning(List.of("CAP_BPF"), 37)).contains("CAP_BPF").contains("37").contains("ignored");
    }
}
