package dev.nido.cgroup.v2;

import dev.nido.oci.DeviceCgroup;

import java.util.ArrayList;
import java.util.List;

/**
 * The v2 device controller: {@code linux.resources.devices} → an eBPF program of type
 * BPF_PROG_TYPE_CGROUP_DEVICE, with the semantics of runc's {@code devicefilter}: the last rule
 * that matches decides, nothing matched means deny. The rules are emitted in reverse, each as a
 * block that returns its verdict when it matches and falls through to the next block otherwise.
 *
 * <p>The program's context is {@code struct bpf_cgroup_dev_ctx} (linux/bpf.h):
 * <pre>
 * struct bpf_cgroup_dev_ctx {
 *     __u32 access_type;   // @0: (access &lt;&lt; 16) | type
 *     __u32 major;         // @4
 *     __u32 minor;         // @8
 * };
 * </pre>
 * Layout of the program: a prologue loads r2 = type, r3 = access, r4 = major, r5 = minor; then
 * one block per rule, last rule first:
 * <pre>
 * if r2 != TYPE goto next            (unless the type is "a")
 * r1 = r3; r1 &amp;= ACC; if r1 != r3 goto next   (unless access is rwm: every requested bit must be allowed)
 * if r4 != MAJOR goto next           (unless the major is a wildcard)
 * if r5 != MINOR goto next           (unless the minor is a wildcard)
 * r0 = ALLOW; exit
 * </pre>
 * and r0 = 0; exit (default deny). A rule that matches every access ends the program: the rules
 * before it can never decide, and the verifier refuses unreachable instructions.
 */
public final class DeviceProgram {
    /** BPF_DEVCG_DEV_BLOCK. */
    public static final int DEV_BLOCK = 1;
    /** BPF_DEVCG_DEV_CHAR. */
    public static final int DEV_CHAR = 2;
    /** BPF_DEVCG_ACC_MKNOD. */
    public static final int ACC_MKNOD = 1;
    /** BPF_DEVCG_ACC_READ. */
    public static final int ACC_READ = 2;
    /** BPF_DEVCG_ACC_WRITE. */
    public static final int ACC_WRITE = 4;
    private static final int ACC_ALL = ACC_MKNOD | ACC_READ | ACC_WRITE;

    /** The license passed to BPF_PROG_LOAD: device programs call no GPL-only helpers. */
    public static final String LICENSE = "Apache-2.0";

    private DeviceProgram() {
    }

    /** The encoded program (8 bytes per instruction) for {@code rules}. */
    public static byte[] generate(List<DeviceCgroup> rules) {
        return Bpf.encode(instructions(rules));
    }

    /** The program for {@code rules}, as instructions. */
    public static List<Bpf> instructions(List<DeviceCgroup> rules) {
        List<Bpf> out = new ArrayList<>(prologue());
        for (DeviceCgroup rule : rules.reversed()) {
            out.addAll(block(rule));
            if (matchesEverything(rule)) {
                return out;
            }
        }
        out.add(Bpf.movImm(Bpf.R0, 0));
        out.add(Bpf.exit());
        return out;
    }

    private static List<Bpf> prologue() {
        return List.of(
                Bpf.ldxW(Bpf.R2, Bpf.R1, 0),
                Bpf.andImm(Bpf.R2, 0xffff),
                Bpf.ldxW(Bpf.R3, Bpf.R1, 0),
                Bpf.rshImm(Bpf.R3, 16),
                Bpf.ldxW(Bpf.R4, Bpf.R1, 4),
                Bpf.ldxW(Bpf.R5, Bpf.R1, 8));
    }

    /** One rule's block; its jumps (offset placeholder 0) are pointed past the block's exit. */
    private static List<Bpf> block(DeviceCgroup rule) {
        List<Bpf> b = new ArrayList<>();
        int type = type(rule.type());
        if (type != 0) {
            b.add(Bpf.jneImm(Bpf.R2, type, 0));
        }
        int access = access(rule.access());
        if (access != ACC_ALL) {
            b.add(Bpf.movReg(Bpf.R1, Bpf.R3));
            b.add(Bpf.andImm(Bpf.R1, access));
            b.add(Bpf.jneReg(Bpf.R1, Bpf.R3, 0));
        }
        if (!wildcard(rule.major())) {
            b.add(Bpf.jneImm(Bpf.R4, number(rule.major(), "major"), 0));
        }
        if (!wildcard(rule.minor())) {
            b.add(Bpf.jneImm(Bpf.R5, number(rule.minor(), "minor"), 0));
        }
        b.add(Bpf.movImm(Bpf.R0, Boolean.TRUE.equals(rule.allow()) ? 1 : 0));
        b.add(Bpf.exit());
        int n = b.size();
        for (int i = 0; i < n; i++) {
            Bpf insn = b.get(i);
            if (insn.code() == (Bpf.BPF_JMP | Bpf.BPF_JNE | Bpf.BPF_K) || insn.code() == (Bpf.BPF_JMP | Bpf.BPF_JNE | Bpf.BPF_X)) {
                b.set(i, insn.withOff(n - i - 1));
            }
        }
        return b;
    }

    static boolean matchesEverything(DeviceCgroup rule) {
        return type(rule.type()) == 0 && access(rule.access()) == ACC_ALL
                && wildcard(rule.major()) && wildcard(rule.minor());
    }

    /** "c" → BPF_DEVCG_DEV_CHAR, "b" → BPF_DEVCG_DEV_BLOCK, "a" or null → 0 (any). */
    static int type(String type) {
        return switch (type == null ? "a" : type) {
            case "a" -> 0;
            case "c" -> DEV_CHAR;
            case "b" -> DEV_BLOCK;
            default -> throw new IllegalArgumentException("device type must be a, b or c, got \"" + type + "\"");
        };
    }

    /** Letters of rwm → BPF_DEVCG_ACC_* bits; null or empty means rwm (as for the v1 files). */
    static int access(String access) {
        if (access == null || access.isEmpty()) {
            return ACC_ALL;
        }
        int bits = 0;
        for (char c : access.toCharArray()) {
            bits |= switch (c) {
                case 'r' -> ACC_READ;
                case 'w' -> ACC_WRITE;
                case 'm' -> ACC_MKNOD;
                default -> throw new IllegalArgumentException("device access must be letters of rwm, got \"" + access + "\"");
            };
        }
        return bits;
    }

    /** A missing or negative number is a wildcard (as "*" in the v1 files). */
    private static boolean wildcard(Long n) {
        return n == null || n < 0;
    }

    private static int number(Long n, String what) {
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("device " + what + " " + n + " is out of range");
        }
        return n.intValue();
    }
}
