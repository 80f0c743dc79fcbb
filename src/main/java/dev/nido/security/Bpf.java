package dev.nido.security;

/**
 * Classic BPF as seccomp uses it ({@code <linux/filter.h>}, {@code <linux/bpf_common.h>}): the
 * opcodes this package emits and the layout of {@code struct seccomp_data} they read.
 * <pre>
 * struct sock_filter {        // 8 bytes, host byte order (little endian on x86_64 and aarch64)
 *     __u16 code;             // @0
 *     __u8  jt;               // @2  forward offset when true
 *     __u8  jf;               // @3  forward offset when false
 *     __u32 k;                // @4
 * };
 * struct seccomp_data {
 *     int   nr;                   // @0
 *     __u32 arch;                 // @4   AUDIT_ARCH_*
 *     __u64 instruction_pointer;  // @8
 *     __u64 args[6];              // @16  args[i] low word at 16 + 8i, high word at 20 + 8i
 * };
 * </pre>
 */
final class Bpf {
    /** BPF_LD | BPF_W | BPF_ABS: A = seccomp_data[k]. */
    static final int LD_W_ABS = 0x20;
    /** BPF_ALU | BPF_AND | BPF_K: A &= k. */
    static final int ALU_AND_K = 0x54;
    /** BPF_JMP | BPF_JA: pc += k (32-bit offset). */
    static final int JA = 0x05;
    /** BPF_JMP | BPF_JEQ | BPF_K. */
    static final int JEQ_K = 0x15;
    /** BPF_JMP | BPF_JGT | BPF_K (unsigned). */
    static final int JGT_K = 0x25;
    /** BPF_JMP | BPF_JGE | BPF_K (unsigned). */
    static final int JGE_K = 0x35;
    /** BPF_JMP | BPF_JSET | BPF_K: A & k != 0. */
    static final int JSET_K = 0x45;
    /** BPF_RET | BPF_K. */
    static final int RET_K = 0x06;

    /** {@code BPF_MAXINSNS}: the kernel refuses longer filters. */
    static final int MAX_INSNS = 4096;
    /** The farthest a conditional jump reaches: jt and jf are one byte. */
    static final int MAX_SHORT_JUMP = 255;
    /** Bytes per instruction. */
    static final int INSN_SIZE = 8;

    /** Offset of {@code seccomp_data.nr}. */
    static final int NR = 0;
    /** Offset of {@code seccomp_data.arch}. */
    static final int ARCH = 4;
    /** Offset of {@code seccomp_data.instruction_pointer}. */
    static final int IP = 8;
    /** Offset of {@code seccomp_data.args}. */
    static final int ARGS = 16;
    /** Size of {@code struct seccomp_data}. */
    static final int DATA_SIZE = 64;

    private Bpf() {
    }

    /** Offset of the low 32 bits of {@code args[index]} (little endian). */
    static int argLow(int index) {
        return ARGS + 8 * index;
    }

    /** Offset of the high 32 bits of {@code args[index]} (little endian). */
    static int argHigh(int index) {
        return ARGS + 8 * index + 4;
    }

    static int code(byte[] program, int pc) {
        int at = pc * INSN_SIZE;
        return (program[at] & 0xff) | (program[at + 1] & 0xff) << 8;
    }

    static int jt(byte[] program, int pc) {
        return program[pc * INSN_SIZE + 2] & 0xff;
    }

    static int jf(byte[] program, int pc) {
        return program[pc * INSN_SIZE + 3] & 0xff;
    }

    static int k(byte[] program, int pc) {
        int at = pc * INSN_SIZE + 4;
        return (program[at] & 0xff) | (program[at + 1] & 0xff) << 8 | (program[at + 2] & 0xff) << 16
                | (program[at + 3] & 0xff) << 24;
    }

    /** Writes one instruction at index {@code pc}. */
    static void put(byte[] program, int pc, int code, int jt, int jf, int k) {
        int at = pc * INSN_SIZE;
        program[at] = (byte) code;
        program[at + 1] = (byte) (code >>> 8);
        program[at + 2] = (byte) jt;
        program[at + 3] = (byte) jf;
        program[at + 4] = (byte) k;
        program[at + 5] = (byte) (k >>> 8);
        program[at + 6] = (byte) (k >>> 16);
        program[at + 7] = (byte) (k >>> 24);
    }
}
