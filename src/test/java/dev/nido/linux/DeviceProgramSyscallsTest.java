package dev.nido.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The device-program calls in the recording and explaining implementations, and the log excerpt. */
class DeviceProgramSyscallsTest {
    private final RecordingSyscalls rec = new RecordingSyscalls();
    private final List<String> lines = new ArrayList<>();
    private final ExplainingSyscalls explaining = new ExplainingSyscalls(rec, lines::add);

    @Test
    void recordsLoadAndAttachAndKeepsTheProgram() {
        byte[] program = new byte[9 * 8];
        program[0] = 0x61;
        Fd prog = rec.loadCgroupDeviceProgram(program, "Apache-2.0");
        rec.attachCgroupDeviceProgram(prog, Path.of("/sys/fs/cgroup/a"));
        assertThat(rec.calls()).containsExactly(
                "loadCgroupDeviceProgram 9 insns Apache-2.0",
                "attachCgroupDeviceProgram fd 10 /sys/fs/cgroup/a");
        assertThat(rec.programs()).containsOnlyKeys(prog);
        assertThat(rec.programs().get(prog)).isEqualTo(program);
    }

    @Test
    void explainsAsBpftoolCommands() {
        Fd prog = explaining.loadCgroupDeviceProgram(new byte[16], "Apache-2.0");
        explaining.attachCgroupDeviceProgram(prog, Path.of("/sys/fs/cgroup/my box"));
        assertThat(lines).containsExactly(
                "bpftool prog load <2 insns> type cgroup/dev",
                "bpftool cgroup attach '/sys/fs/cgroup/my box' device <fd 10> multi");
        assertThat(rec.calls()).hasSize(2);
    }

    @Test
    void failuresAreInjectable() {
        rec.failWhen("attachCgroupDeviceProgram", Errno.EPERM);
        Fd prog = rec.loadCgroupDeviceProgram(new byte[8], "Apache-2.0");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> rec.attachCgroupDeviceProgram(prog, Path.of("/c")))
                .isInstanceOf(LinuxException.class)
                .hasMessageStartingWith("bpf BPF_PROG_ATTACH /c: ");
    }

    @Test
    void verifierLogExcerptIsTheLastLines() {
        StringBuilder log = new StringBuilder();
        for (int i = 1; i <= 12; i++) {
            log.append("line ").append(i).append("\n\n");
        }
        assertThat(BpfCalls.lastLines(log.toString()))
                .isEqualTo("line 5; line 6; line 7; line 8; line 9; line 10; line 11; line 12");
        assertThat(BpfCalls.lastLines("")).isEqualTo("(empty)");
    }

    @Test
    void exceptionWithDetailKeepsTheErrno() {
        LinuxException e = new LinuxException("bpf BPF_PROG_LOAD", "3 insns", Errno.EACCES, "verifier log: x");
        assertThat(e.errno()).isEqualTo(Errno.EACCES);
        assertThat(e.getMessage()).startsWith("bpf BPF_PROG_LOAD 3 insns: ").endsWith(": verifier log: x");
    }
}
