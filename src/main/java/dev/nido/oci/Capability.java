package dev.nido.oci;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Linux capabilities a spec may name, with their bit numbers from {@code <linux/capability.h>}
 * (capabilities(7)). The constant names are the spec's strings.
 */
public enum Capability {
    /** 0 */
    CAP_CHOWN(0),
    /** 1 */
    CAP_DAC_OVERRIDE(1),
    /** 2 */
    CAP_DAC_READ_SEARCH(2),
    /** 3 */
    CAP_FOWNER(3),
    /** 4 */
    CAP_FSETID(4),
    /** 5 */
    CAP_KILL(5),
    /** 6 */
    CAP_SETGID(6),
    /** 7 */
    CAP_SETUID(7),
    /** 8 */
    CAP_SETPCAP(8),
    /** 9 */
    CAP_LINUX_IMMUTABLE(9),
    /** 10 */
    CAP_NET_BIND_SERVICE(10),
    /** 11 */
    CAP_NET_BROADCAST(11),
    /** 12 */
    CAP_NET_ADMIN(12),
    /** 13 */
    CAP_NET_RAW(13),
    /** 14 */
    CAP_IPC_LOCK(14),
    /** 15 */
    CAP_IPC_OWNER(15),
    /** 16 */
    CAP_SYS_MODULE(16),
    /** 17 */
    CAP_SYS_RAWIO(17),
    /** 18 */
    CAP_SYS_CHROOT(18),
    /** 19 */
    CAP_SYS_PTRACE(19),
    /** 20 */
    CAP_SYS_PACCT(20),
    /** 21 */
    CAP_SYS_ADMIN(21),
    /** 22 */
    CAP_SYS_BOOT(22),
    /** 23 */
    CAP_SYS_NICE(23),
    /** 24 */
    CAP_SYS_RESOURCE(24),
    /** 25 */
    CAP_SYS_TIME(25),
    /** 26 */
    CAP_SYS_TTY_CONFIG(26),
    /** 27 */
    CAP_MKNOD(27),
    /** 28 */
    CAP_LEASE(28),
    /** 29 */
    CAP_AUDIT_WRITE(29),
    /** 30 */
    CAP_AUDIT_CONTROL(30),
    /** 31 */
    CAP_SETFCAP(31),
    /** 32 */
    CAP_MAC_OVERRIDE(32),
    /** 33 */
    CAP_MAC_ADMIN(33),
    /** 34 */
    CAP_SYSLOG(34),
    /** 35 */
    CAP_WAKE_ALARM(35),
    /** 36 */
    CAP_BLOCK_SUSPEND(36),
    /** 37 */
    CAP_AUDIT_READ(37),
    /** 38 */
    CAP_PERFMON(38),
    /** 39 */
    CAP_BPF(39),
    /** 40 */
    CAP_CHECKPOINT_RESTORE(40);

    private static final Map<String, Capability> BY_NAME = byName();

    /** A plain loop: a stream pipeline here costs ~15 ms of class loading on every cold start. */
    private static Map<String, Capability> byName() {
        Map<String, Capability> m = new java.util.HashMap<>();
        for (Capability c : values()) {
            m.put(c.name(), c);
        }
        return Map.copyOf(m);
    }

    private final int number;

    Capability(int number) {
        this.number = number;
    }

    /** The bit number, as capget(2) and prctl(PR_CAPBSET_DROP) take it. */
    public int number() {
        return number;
    }

    /** The capability with this spec name ({@code "CAP_KILL"}), if Linux has it. */
    public static Optional<Capability> byName(String name) {
        return Optional.ofNullable(name == null ? null : BY_NAME.get(name));
    }

    /** All names, in bit order. */
    public static List<String> names() {
        return Arrays.stream(values()).map(Enum::name).toList();
    }
}
