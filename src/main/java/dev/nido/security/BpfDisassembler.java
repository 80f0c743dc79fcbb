package dev.nido.security;

/**
 * Prints a seccomp filter one instruction a line in the syntax of the kernel's {@code bpf_asm}
 * ({@code ld [4]}, {@code jeq #0xc000003e, L3, L2}, {@code ret #0x7fff0000}), each line labelled
 * {@code L<index>} so jump targets can be followed, with a comment saying what the instruction
 * looks at: the {@code seccomp_data} field loaded, the architecture or syscall compared, the
 * action returned. This is what {@code --explain} shows; docs/seccomp.md explains how to read it.
 */
public final class BpfDisassembler {
    private static final int INSN_COLUMN = 8;
    private static final int COMMENT_COLUMN = 40;

    private BpfDisassembler() {
    }

    /** The text of {@code program} ({@code struct sock_filter[]}, little endian). */
    public static String toText(byte[] program) {
        if (program.length % Bpf.INSN_SIZE != 0) {
            throw new IllegalArgumentException("a BPF program is a multiple of 8 bytes, not " + program.length);
        }
        BpfFlow flow = BpfFlow.of(program);
        StringBuilder out = new StringBuilder(program.length * 8);
        for (int pc = 0; pc < program.length / Bpf.INSN_SIZE; pc++) {
            line(out, program, pc, flow);
        }
        return out.toString();
    }

    private static void line(StringBuilder out, byte[] p, int pc, BpfFlow flow) {
        int start = out.length();
        out.append('L').append(pc).append(':');
        pad(out, start + INSN_COLUMN);
        instruction(out, p, pc);
        String comment = comment(p, pc, flow);
        if (comment != null) {
            pad(out, start + COMMENT_COLUMN);
            out.append("; ").append(comment);
        }
        out.append('\n');
    }

    private static void instruction(StringBuilder out, byte[] p, int pc) {
        int code = Bpf.code(p, pc);
        int k = Bpf.k(p, pc);
        switch (code) {
            case Bpf.LD_W_ABS -> out.append("ld [").append(k).append(']');
            case Bpf.ALU_AND_K -> out.append("and #").append(hex(k));
            case Bpf.JA -> out.append("ja L").append(pc + 1 + k);
            case Bpf.JEQ_K, Bpf.JGT_K, Bpf.JGE_K, Bpf.JSET_K -> out.append(jumpName(code)).append(" #")
                    .append(hex(k)).append(", L").append(pc + 1 + Bpf.jt(p, pc))
                    .append(", L").append(pc + 1 + Bpf.jf(p, pc));
            case Bpf.RET_K -> out.append("ret #").append(hex(k));
            default -> out.append("code ").append(hex(code)).append(" jt ").append(Bpf.jt(p, pc))
                    .append(" jf ").append(Bpf.jf(p, pc)).append(" k ").append(hex(k));
        }
    }

    private static String jumpName(int code) {
        return switch (code) {
            case Bpf.JEQ_K -> "jeq";
            case Bpf.JGT_K -> "jgt";
            case Bpf.JGE_K -> "jge";
            default -> "jset";
        };
    }

    private static String comment(byte[] p, int pc, BpfFlow flow) {
        int code = Bpf.code(p, pc);
        int k = Bpf.k(p, pc);
        return switch (code) {
            case Bpf.LD_W_ABS -> field(k, flow.arch(pc));
            case Bpf.RET_K -> SeccompAction.describe(k);
            case Bpf.JEQ_K, Bpf.JGT_K, Bpf.JGE_K, Bpf.JSET_K -> compared(code, k, flow.source(pc), flow.arch(pc));
            case Bpf.JA, Bpf.ALU_AND_K -> null;
            default -> "not an instruction nido emits";
        };
    }

    /** The {@code seccomp_data} field at {@code offset}. */
    private static String field(int offset, Arch arch) {
        if (offset == Bpf.NR) {
            return "nr";
        }
        if (offset == Bpf.ARCH) {
            return "arch";
        }
        if (offset == Bpf.IP || offset == Bpf.IP + 4) {
            return offset == Bpf.IP ? "instruction_pointer" : "instruction_pointer high";
        }
        if (offset < Bpf.ARGS || offset >= Bpf.DATA_SIZE || offset % 4 != 0) {
            return "not a seccomp_data field";
        }
        int index = (offset - Bpf.ARGS) / 8;
        boolean high = (offset - Bpf.ARGS) % 8 == 4;
        return "args[" + index + "]" + (high ? " high" : arch == null || arch.wideArgs() ? " low" : "");
    }

    /** What a jump compares: an architecture, the x32 bit, or a syscall of a known architecture. */
    private static String compared(int code, int k, int source, Arch arch) {
        if (source == Bpf.ARCH) {
            return auditName(k);
        }
        if (source != Bpf.NR) {
            return null;
        }
        if (code == Bpf.JSET_K && k == Arch.X32_SYSCALL_BIT) {
            return "x32 syscall bit";
        }
        if (code == Bpf.JEQ_K && k == -1) {
            return "nr -1 (a tracer skipping the call)";
        }
        String name = arch == null ? null : SyscallTable.of(arch).name(k);
        if (name == null) {
            return null;
        }
        return switch (code) {
            case Bpf.JGE_K -> ">= " + name;
            case Bpf.JGT_K -> "> " + name;
            default -> name;
        };
    }

    private static String auditName(int k) {
        return switch (k) {
            case 0xC000003E -> "AUDIT_ARCH_X86_64";
            case 0x40000003 -> "AUDIT_ARCH_I386";
            case 0xC00000B7 -> "AUDIT_ARCH_AARCH64";
            default -> null;
        };
    }

    private static String hex(int k) {
        return "0x" + Integer.toHexString(k);
    }

    private static void pad(StringBuilder out, int column) {
        do {
            out.append(' ');
        } while (out.length() < column);
    }
}
