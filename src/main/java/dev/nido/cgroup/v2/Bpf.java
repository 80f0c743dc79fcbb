package dev.nido.cgroup.v2;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * A tiny eBPF instruction builder: only what {@link DeviceProgram} emits. One instruction is the
 * kernel's {@code struct bpf_insn} (linux/bpf.h), 8 bytes, little-endian:
 * <pre>
 * struct bpf_insn {
 *     __u8  code;        // opcode: class | size/op | mode/source
 *     __u8  dst_reg:4;   // low nibble
 *     __u8  src_reg:4;   // high nibble
 *     __s16 off;         // signed offset (memory access, jump: instructions after the next)
 *     __s32 imm;         // signed immediate constant
 * };
 * </pre>
 *
 * @param code the opcode
 * @param dst  destination register (0-10)
 * @param src  source register (0-10)
 * @param off  offset
 * @param imm  immediate
 */
public record Bpf(int code, int dst, int src, int off, int imm) {
    // Instruction classes (linux/bpf_common.h, linux/bpf.h).
    /** BPF_LDX: load into a register from memory. */
    public static final int BPF_LDX = 0x01;
    /** BPF_ALU: 32-bit arithmetic (the result is zero-extended to 64 bits). */
    public static final int BPF_ALU = 0x04;
    /** BPF_JMP: 64-bit compare and jump, exit. */
    public static final int BPF_JMP = 0x05;
    // Sizes and modes.
    /** BPF_W: 32-bit word. */
    public static final int BPF_W = 0x00;
    /** BPF_MEM: register + offset addressing. */
    public static final int BPF_MEM = 0x60;
    // Sources.
    /** BPF_K: the operand is imm. */
    public static final int BPF_K = 0x00;
    /** BPF_X: the operand is src_reg. */
    public static final int BPF_X = 0x08;
    // ALU operations.
    /** BPF_AND. */
    public static final int BPF_AND = 0x50;
    /** BPF_RSH: logical shift right. */
    public static final int BPF_RSH = 0x70;
    /** BPF_MOV. */
    public static final int BPF_MOV = 0xb0;
    // Jump operations.
    /** BPF_JNE: jump if not equal. */
    public static final int BPF_JNE = 0x50;
    /** BPF_EXIT: return r0. */
    public static final int BPF_EXIT = 0x90;

    /** Registers: r0 is the return value, r1 the context pointer on entry. */
    public static final int R0 = 0;
    public static final int R1 = 1;
    public static final int R2 = 2;
    public static final int R3 = 3;
    public static final int R4 = 4;
    public static final int R5 = 5;

    /** The size of one encoded instruction. */
    public static final int SIZE = 8;

    public Bpf {
        if (dst < 0 || dst > 10 || src < 0 || src > 10) {
            throw new IllegalArgumentException("bpf register out of range: dst " + dst + ", src " + src);
        }
        if (off != (short) off) {
            throw new IllegalArgumentException("bpf offset out of range: " + off);
        }
    }

    /** {@code dst = *(u32 *)(src + off)}. */
    public static Bpf ldxW(int dst, int src, int off) {
        return new Bpf(BPF_LDX | BPF_W | BPF_MEM, dst, src, off, 0);
    }

    /** {@code dst = imm} (32-bit). */
    public static Bpf movImm(int dst, int imm) {
        return new Bpf(BPF_ALU | BPF_MOV | BPF_K, dst, 0, 0, imm);
    }

    /** {@code dst = src} (32-bit). */
    public static Bpf movReg(int dst, int src) {
        return new Bpf(BPF_ALU | BPF_MOV | BPF_X, dst, src, 0, 0);
    }

    /** {@code dst &= imm} (32-bit). */
    public static Bpf andImm(int dst, int imm) {
        return new Bpf(BPF_ALU | BPF_AND | BPF_K, dst, 0, 0, imm);
    }

    /** {@code dst >>= imm} (32-bit, logical). */
    public static Bpf rshImm(int dst, int imm) {
        return new Bpf(BPF_ALU | BPF_RSH | BPF_K, dst, 0, 0, imm);
    }

    /** {@code if (dst != imm) goto +off}. */
    public static Bpf jneImm(int dst, int imm, int off) {
        return new Bpf(BPF_JMP | BPF_JNE | BPF_K, dst, 0, off, imm);
    }

    /** {@code if (dst != src) goto +off}. */
    public static Bpf jneReg(int dst, int src, int off) {
        return new Bpf(BPF_JMP | BPF_JNE | BPF_X, dst, src, off, 0);
    }

    /** {@code return r0}. */
    public static Bpf exit() {
        return new Bpf(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
    }

    /** This instruction with another jump offset. */
    public Bpf withOff(int newOff) {
        return new Bpf(code, dst, src, newOff, imm);
    }

    /** The kernel's encoding of {@code program}. */
    public static byte[] encode(List<Bpf> program) {
        ByteBuffer b = ByteBuffer.allocate(program.size() * SIZE).order(ByteOrder.LITTLE_ENDIAN);
        for (Bpf i : program) {
            b.put((byte) i.code).put((byte) (i.src << 4 | i.dst)).putShort((short) i.off).putInt(i.imm);
        }
        return b.array();
    }

    /** The inverse of {@link #encode}. */
    public static List<Bpf> decode(byte[] bytes) {
        if (bytes.length % SIZE != 0) {
            throw new IllegalArgumentException("bpf program length " + bytes.length + " is not a multiple of 8");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        Bpf[] out = new Bpf[bytes.length / SIZE];
        for (int i = 0; i < out.length; i++) {
            int code = b.get() & 0xff;
            int regs = b.get() & 0xff;
            out[i] = new Bpf(code, regs & 0xf, regs >>> 4, b.getShort(), b.getInt());
        }
        return List.of(out);
    }
}
