package dev.nido.security;

import java.util.Arrays;
import java.util.List;

/**
 * A compiled seccomp filter, ready for {@code seccomp(SECCOMP_SET_MODE_FILTER, flags, &prog)}.
 *
 * @param bpf     {@code struct sock_filter[]} in little-endian byte order, 8 bytes an instruction
 * @param flags   the {@code SECCOMP_FILTER_FLAG_*} bits: LOG (2), SPEC_ALLOW (4), NEW_LISTENER (8,
 *                when an action is {@code SCMP_ACT_NOTIFY}), WAIT_KILLABLE_RECV (32)
 * @param skipped syscall names of the profile that no architecture of the filter has; the filter
 *                ignores them, as runc and crun do, and the caller should say so
 */
public record SeccompProgram(byte[] bpf, int flags, List<String> skipped) {
    public SeccompProgram {
        if (bpf.length == 0 || bpf.length % Bpf.INSN_SIZE != 0) {
            throw new IllegalArgumentException("a BPF program is a non-empty multiple of 8 bytes, not " + bpf.length);
        }
        bpf = bpf.clone();
        skipped = List.copyOf(skipped);
    }

    /** A copy of the program bytes. */
    @Override
    public byte[] bpf() {
        return bpf.clone();
    }

    /** The number of BPF instructions (at most 4096). */
    public int instructionCount() {
        return bpf.length / Bpf.INSN_SIZE;
    }

    /** Whether {@code SECCOMP_FILTER_FLAG_NEW_LISTENER} is set: seccomp(2) then returns a listener fd. */
    public boolean wantsListener() {
        return (flags & Profile.FLAG_NEW_LISTENER) != 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SeccompProgram p && Arrays.equals(bpf, p.bpf) && flags == p.flags
                && skipped.equals(p.skipped);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bpf) * 31 + flags * 17 + skipped.hashCode();
    }

    @Override
    public String toString() {
        return "SeccompProgram[instructions=" + instructionCount() + ", flags=" + flags + ", skipped=" + skipped + "]";
    }
}
