package dev.nido.linux;

import static dev.nido.linux.Libc.address;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * bpf(2) for the cgroup v2 device controller: load a BPF_PROG_TYPE_CGROUP_DEVICE program and
 * attach it to a cgroup directory. glibc has no bpf wrapper, so it goes through
 * {@code syscall(SYS_bpf, cmd, attr, size)}. The attribute is {@code union bpf_attr}, passed as
 * {@value #ATTR_SIZE} zeroed bytes (the kernel requires every byte past the fields it knows for
 * the command to be zero, and accepts any size up to a page):
 * <pre>
 * struct {                    // BPF_PROG_LOAD
 *     __u32 prog_type;        // @0   BPF_PROG_TYPE_CGROUP_DEVICE = 15
 *     __u32 insn_cnt;         // @4
 *     __aligned_u64 insns;    // @8   const struct bpf_insn *
 *     __aligned_u64 license;  // @16  const char *
 *     __u32 log_level;        // @24  0, or 1 for the verifier log
 *     __u32 log_size;         // @28
 *     __aligned_u64 log_buf;  // @32  char *
 *     __u32 kern_version;     // @40  unused for this type
 *     __u32 prog_flags;       // @44
 *     ...                     //      0
 * };
 * struct {                    // BPF_PROG_ATTACH
 *     __u32 target_fd;        // @0   the cgroup directory
 *     __u32 attach_bpf_fd;    // @4   the program
 *     __u32 attach_type;      // @8   BPF_CGROUP_DEVICE = 6
 *     __u32 attach_flags;     // @12  BPF_F_ALLOW_MULTI = 2
 *     ...                     //      0
 * };
 * </pre>
 */
final class BpfCalls {
    /** The size of {@code union bpf_attr} we pass. */
    static final int ATTR_SIZE = 128;
    /** {@code enum bpf_cmd} BPF_PROG_LOAD. */
    static final int BPF_PROG_LOAD = 5;
    /** {@code enum bpf_cmd} BPF_PROG_ATTACH. */
    static final int BPF_PROG_ATTACH = 8;
    /** {@code enum bpf_prog_type} BPF_PROG_TYPE_CGROUP_DEVICE. */
    static final int BPF_PROG_TYPE_CGROUP_DEVICE = 15;
    /** {@code enum bpf_attach_type} BPF_CGROUP_DEVICE. */
    static final int BPF_CGROUP_DEVICE = 6;
    /** BPF_F_ALLOW_MULTI: other programs (a parent's, systemd's) stay attached too; all must allow. */
    static final int BPF_F_ALLOW_MULTI = 2;
    /** The verifier log buffer for the second attempt after a failed load. */
    static final int LOG_SIZE = 64 * 1024;
    /** How many of the verifier log's last lines go into the error message. */
    static final int LOG_LINES = 8;
    /** {@code <fcntl.h>} O_DIRECTORY: 0200000 on x86_64, 040000 on arm64. */
    static final int O_DIRECTORY = "aarch64".equals(System.getProperty("os.arch")) ? 0x4000 : 0x10000;

    /** long syscall(long number, ...): variadic. */
    private static final Libc.Function SYSCALL = Libc.function("syscall");
    /** SYS_bpf: 321 on x86_64, 280 on aarch64 (asm-generic). */
    private static final long SYS_BPF = "aarch64".equals(System.getProperty("os.arch")) ? 280 : 321;

    private BpfCalls() {
    }

    static Fd loadCgroupDeviceProgram(byte[] insns, String license) {
        if (insns.length == 0 || insns.length % 8 != 0) {
            throw new IllegalArgumentException("bpf program of " + insns.length + " bytes: expected a multiple of 8");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment code = arena.allocate(insns.length, 8);
            MemorySegment.copy(MemorySegment.ofArray(insns), 0, code, 0, insns.length);
            MemorySegment lic = Libc.cString(arena, license);
            String what = (insns.length / 8) + " insns";
            try {
                return new Fd(bpf(arena, BPF_PROG_LOAD, "bpf BPF_PROG_LOAD", what,
                        progLoad(insns.length / 8, address(code), address(lic), 0, 0, 0)));
            } catch (LinuxException first) {
                // Load again with the verifier log, only to explain the failure.
                MemorySegment log = arena.allocate(LOG_SIZE);
                try {
                    bpf(arena, BPF_PROG_LOAD, "bpf BPF_PROG_LOAD", what,
                            progLoad(insns.length / 8, address(code), address(lic), 1, LOG_SIZE, address(log)));
                } catch (LinuxException second) {
                    throw new LinuxException(first.operation(), first.path(), first.errno(),
                            "verifier log: " + lastLines(cString(log)));
                }
                throw first;
            }
        }
    }

    static void attachCgroupDeviceProgram(Fd prog, Path cgroupDir) {
        Fd dir = FileCalls.open(cgroupDir, O_DIRECTORY, "open cgroup");
        try (Arena arena = Arena.ofConfined()) {
            bpf(arena, BPF_PROG_ATTACH, "bpf BPF_PROG_ATTACH", cgroupDir.toString(),
                    attr(dir.value(), prog.value(), BPF_CGROUP_DEVICE, BPF_F_ALLOW_MULTI));
        } finally {
            FdCalls.close(dir);
        }
    }

    private static byte[] progLoad(int insnCnt, long insns, long license, int logLevel, int logSize, long logBuf) {
        ByteBuffer b = ByteBuffer.allocate(ATTR_SIZE).order(ByteOrder.nativeOrder());
        b.putInt(0, BPF_PROG_TYPE_CGROUP_DEVICE).putInt(4, insnCnt).putLong(8, insns).putLong(16, license)
                .putInt(24, logLevel).putInt(28, logSize).putLong(32, logBuf);
        return b.array();
    }

    private static byte[] attr(int... u32s) {
        ByteBuffer b = ByteBuffer.allocate(ATTR_SIZE).order(ByteOrder.nativeOrder());
        for (int v : u32s) {
            b.putInt(v);
        }
        return b.array();
    }

    /** bpf(cmd, attr, ATTR_SIZE): the result (an fd for PROG_LOAD, 0 for PROG_ATTACH). */
    private static int bpf(Arena arena, int cmd, String operation, String path, byte[] attr) {
        MemorySegment a = arena.allocate(ATTR_SIZE, 8);
        MemorySegment.copy(MemorySegment.ofArray(attr), 0, a, 0, ATTR_SIZE);
        return Libc.checkInt(arena, operation, path, SYSCALL, SYS_BPF, cmd, address(a), ATTR_SIZE);
    }

    private static String cString(MemorySegment buf) {
        byte[] bytes = buf.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }

    /** The last {@link #LOG_LINES} non-blank lines of a verifier log, joined by "; ". */
    static String lastLines(String log) {
        List<String> lines = Arrays.stream(log.split("\n")).filter(l -> !l.isBlank()).map(String::strip).toList();
        if (lines.isEmpty()) {
            return "(empty)";
        }
        return String.join("; ", lines.subList(Math.max(0, lines.size() - LOG_LINES), lines.size()));
    }
}
