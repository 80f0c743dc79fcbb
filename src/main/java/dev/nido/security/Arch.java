package dev.nido.security;

/**
 * The system call ABIs a seccomp filter can tell apart, with the {@code AUDIT_ARCH_*} value the
 * kernel puts in {@code seccomp_data.arch} ({@code <linux/audit.h>}). x32 shares
 * {@code AUDIT_ARCH_X86_64} with x86_64; its syscall numbers carry {@link #X32_SYSCALL_BIT}.
 * 32-bit ARM ({@code SCMP_ARCH_ARM}) is not compiled: an aarch64 filter lets no AArch32 task in.
 */
public enum Arch {
    /** {@code AUDIT_ARCH_X86_64} = EM_X86_64 | __AUDIT_ARCH_64BIT | __AUDIT_ARCH_LE. */
    X86_64("SCMP_ARCH_X86_64", 0xC000003E, "dev/nido/security/syscalls-x86_64.txt", true),
    /** {@code AUDIT_ARCH_I386} = EM_386 | __AUDIT_ARCH_LE; arguments are 32 bits. */
    X86("SCMP_ARCH_X86", 0x40000003, "dev/nido/security/syscalls-x86.txt", false),
    /** x32: {@code AUDIT_ARCH_X86_64} with {@code nr & __X32_SYSCALL_BIT}; arguments are 64 bits. */
    X32("SCMP_ARCH_X32", 0xC000003E, "dev/nido/security/syscalls-x32.txt", true),
    /** {@code AUDIT_ARCH_AARCH64} = EM_AARCH64 | __AUDIT_ARCH_64BIT | __AUDIT_ARCH_LE. */
    AARCH64("SCMP_ARCH_AARCH64", 0xC00000B7, "dev/nido/security/syscalls-aarch64.txt", true);

    /** {@code __X32_SYSCALL_BIT} of {@code <asm/unistd.h>}. */
    public static final int X32_SYSCALL_BIT = 0x40000000;

    private final String specName;
    private final int auditArch;
    private final String tableResource;
    private final boolean wideArgs;

    Arch(String specName, int auditArch, String tableResource, boolean wideArgs) {
        this.specName = specName;
        this.auditArch = auditArch;
        this.tableResource = tableResource;
        this.wideArgs = wideArgs;
    }

    /** The runtime-spec name, {@code SCMP_ARCH_X86_64}. */
    public String specName() {
        return specName;
    }

    /** The {@code AUDIT_ARCH_*} value of {@code seccomp_data.arch}. */
    public int auditArch() {
        return auditArch;
    }

    /** Whether syscall arguments are 64 bits wide (false for i386, whose filter compares 32). */
    public boolean wideArgs() {
        return wideArgs;
    }

    /** The resource with this ABI's syscall table, {@code dev/nido/security/syscalls-x86_64.txt}. */
    String tableResource() {
        return tableResource;
    }

    /** Whether a task of this ABI can run on a CPU whose native ABI is {@code nativeArch}. */
    public boolean runsOn(Arch nativeArch) {
        return this == nativeArch || nativeArch == X86_64 && (this == X86 || this == X32);
    }

    /** The ABI of a JVM {@code os.arch} value: {@code amd64}, {@code aarch64}, {@code x86}. */
    public static Arch fromOsArch(String osArch) {
        if (osArch != null) {
            switch (osArch) {
                case "amd64", "x86_64" -> {
                    return X86_64;
                }
                case "aarch64", "arm64" -> {
                    return AARCH64;
                }
                case "x86", "i386", "i486", "i586", "i686" -> {
                    return X86;
                }
                default -> {
                }
            }
        }
        throw new ConfinementException("seccomp: CPU architecture \"" + osArch
                + "\" is not supported (expected amd64, aarch64 or x86)");
    }

    /** The ABI this JVM runs as. */
    public static Arch nativeArch() {
        return fromOsArch(System.getProperty("os.arch"));
    }

    /** The ABI of a runtime-spec name, or null when it is not one of these. */
    static Arch fromSpecName(String name) {
        for (Arch a : values()) {
            if (a.specName.equals(name)) {
                return a;
            }
        }
        return null;
    }
}
