package dev.nido.runtime;

import dev.nido.oci.IdMapping;
import dev.nido.oci.Memory;
import dev.nido.oci.Resources;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The decisions nido makes for a non-root caller, without the kernel. */
class RootlessLogicTest {
    @Test
    void rootKeepsRunNidoAndOthersUseXdgRuntimeDir() {
        assertThat(StateRoot.defaultFor(0, Map.of("XDG_RUNTIME_DIR", "/run/user/0"))).isEqualTo(Path.of("/run/nido"));
        assertThat(StateRoot.defaultFor(1000, Map.of("XDG_RUNTIME_DIR", "/run/user/1000")))
                .isEqualTo(Path.of("/run/user/1000/nido"));
    }

    @Test
    void aUserWithoutARuntimeDirIsToldWhatToSet() {
        assertThatThrownBy(() -> StateRoot.defaultFor(987654, Map.of()))
                .isInstanceOf(ContainerException.class)
                .hasMessageContaining("uid 987654").hasMessageContaining("XDG_RUNTIME_DIR").hasMessageContaining("--root");
    }

    @Test
    void effectiveIdsComeFromTheSecondColumn() {
        long[] ids = Identity.parse("Name:\tx\nUid:\t1000\t0\t0\t0\nGid:\t1000\t27\t27\t27\n");
        assertThat(ids).containsExactly(0, 27);
    }

    @Test
    void onlyASingleMapOfTheOwnIdIsWrittenDirectly() {
        assertThat(IdMapWriter.onlyOwn(List.of(IdMapping.of(0, 1000, 1)), 1000)).isTrue();
        assertThat(IdMapWriter.onlyOwn(List.of(IdMapping.of(0, 1000, 2)), 1000)).isFalse();
        assertThat(IdMapWriter.onlyOwn(List.of(IdMapping.of(0, 1001, 1)), 1000)).isFalse();
        assertThat(IdMapWriter.onlyOwn(List.of(IdMapping.of(0, 1000, 1), IdMapping.of(1, 100000, 65536)), 1000))
                .isFalse();
    }

    @Test
    void newuidmapGetsTriplets() {
        assertThat(IdMapWriter.helperArgs("newuidmap", 42,
                List.of(IdMapping.of(0, 1000, 1), IdMapping.of(1, 100000, 65536))))
                .containsExactly("newuidmap", "42", "0", "1000", "1", "1", "100000", "65536");
        assertThat(IdMapWriter.mapText(List.of(IdMapping.of(0, 1000, 1)))).isEqualTo("0 1000 1\n");
    }

    @Test
    void deviceRulesAloneNeedNoCgroupButLimitsDo() {
        assertThat(CgroupChoice.limitsAsked(null)).isEmpty();
        Resources devicesOnly = new Resources(List.of(), null, null, null, null, List.of(), null, Map.of(), Map.of());
        assertThat(CgroupChoice.limitsAsked(devicesOnly)).isEmpty();
        Resources memory = new Resources(null, new Memory(1L << 26, null, null, null, null, null, null, null, null), null, null, null, null, null, null, null);
        assertThat(CgroupChoice.limitsAsked(memory)).containsExactly("linux.resources.memory");
        assertThat(CgroupChoice.undelegated(List.of("linux.resources.memory"), 1000).getMessage())
                .contains("uid 1000").contains("Delegate=yes");
    }

    @Test
    void aMissingDirectoryIsNotDelegated() {
        assertThat(CgroupChoice.delegated(List.of())).isFalse();
    }
}
