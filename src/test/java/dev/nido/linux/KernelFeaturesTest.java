package dev.nido.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelFeaturesTest {
    @TempDir
    Path proc;

    private void fakeProc(String release, String capLastCap, String... namespaces) throws IOException {
        Files.createDirectories(proc.resolve("sys/kernel"));
        Files.createDirectories(proc.resolve("self/ns"));
        Files.writeString(proc.resolve("sys/kernel/osrelease"), release + "\n");
        if (capLastCap != null) {
            Files.writeString(proc.resolve("sys/kernel/cap_last_cap"), capLastCap + "\n");
        }
        for (String ns : namespaces) {
            Files.createSymbolicLink(proc.resolve("self/ns").resolve(ns), Path.of(ns + ":[4026531835]"));
        }
    }

    @Test
    void newKernel() throws IOException {
        fakeProc("6.1.0-18-amd64", "40", "mnt", "pid", "user", "time");
        KernelFeatures f = KernelFeatures.probe(proc);
        assertThat(f.kernelRelease()).isEqualTo("6.1.0-18-amd64");
        assertThat(f.capLastCap()).isEqualTo(40);
        assertThat(f.capLastCapFeature().available()).isTrue();
        assertThat(f.openat2().available()).isTrue();
        assertThat(f.closeRange().available()).isTrue();
        assertThat(f.namespace("time").available()).isTrue();
        assertThat(f.namespace("net").unavailabilityCause())
                .hasValue(proc.resolve("self/ns/net") + " does not exist (kernel built without it, or too old)");
        assertThat(f.namespaces()).extracting(KernelFeatures.Feature::available)
                .containsExactly(false, false, true, false, true, true, true, false);
        assertThat(f.all()).hasSize(11);
    }

    @Test
    void oldKernelSaysWhy() throws IOException {
        fakeProc("5.4.0-150-generic", null);
        KernelFeatures f = KernelFeatures.probe(proc);
        assertThat(f.openat2().unavailabilityCause()).hasValue("kernel 5.4.0-150-generic is older than 5.6");
        assertThat(f.closeRange().unavailabilityCause()).hasValue("kernel 5.4.0-150-generic is older than 5.9");
        assertThat(f.capLastCap()).isEqualTo(-1);
        assertThat(f.capLastCapFeature().unavailabilityCause())
                .hasValue(proc.resolve("sys/kernel/cap_last_cap") + ": cannot be read");
    }

    @Test
    void boundaryVersions() throws IOException {
        fakeProc("5.6.0", "x");
        KernelFeatures f = KernelFeatures.probe(proc);
        assertThat(f.openat2().available()).isTrue();
        assertThat(f.closeRange().available()).isFalse();
        assertThat(f.capLastCapFeature().unavailabilityCause()).get().asString().endsWith(": not a number: x");
    }

    @Test
    void unreadableReleaseIsACause() {
        KernelFeatures f = KernelFeatures.probe(proc);
        assertThat(f.openat2().unavailabilityCause()).get().asString().startsWith("kernel release unknown");
    }

    @Test
    void rejectsUnknownNamespaceTypes() {
        assertThatThrownBy(() -> KernelFeatures.probe(proc).namespace("netns"))
                .hasMessage("namespace type \"netns\": unknown (expected one of cgroup, ipc, mnt, net, pid, time, user, uts)");
    }

    @Test
    void thisKernelHasTheBasics() {
        KernelFeatures f = KernelFeatures.probe();
        assertThat(f.namespace("mnt").available()).isTrue();
        assertThat(f.capLastCap()).isGreaterThanOrEqualTo(36);
        assertThat(f.kernelRelease()).matches("\\d+\\.\\d+.*");
    }
}
