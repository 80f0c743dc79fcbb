package dev.nido.security;

import dev.nido.oci.Capability;
import dev.nido.oci.Seccomp;
import dev.nido.oci.SeccompArg;
import dev.nido.oci.SeccompSyscall;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * nido's default seccomp profile, in the style of the Docker/Moby default: every syscall not
 * allowed returns EPERM; an allow-list of what ordinary programs call (the resource
 * {@code default-profile.txt}, grouped by purpose), with groups that only a container holding a
 * capability may call (mount and namespaces need CAP_SYS_ADMIN, reboot CAP_SYS_BOOT, ...). Rules
 * with argument checks:
 * <ul>
 * <li>{@code clone} without CAP_SYS_ADMIN: only without namespace flags
 *     ({@code flags & 0x7E020000 == 0}); {@code clone3} then returns ENOSYS, since its flags are in
 *     memory the filter cannot read, and glibc falls back to clone.</li>
 * <li>{@code personality}: only the harmless values 0 (PER_LINUX), 8 (PER_LINUX32), 0x20000
 *     (UNAME26), 0x20008 and 0xffffffff (query).</li>
 * <li>{@code socket}: any family but AF_VSOCK (40), which reaches the host's hypervisor sockets.</li>
 * <li>{@code io_uring_setup}, {@code io_uring_enter}, {@code io_uring_register}: ENOSYS. io_uring has
 *     been the source of many kernel privilege escalations and bypasses seccomp for the operations
 *     it submits; with ENOSYS libraries (liburing users, libuv, tokio) fall back to epoll and
 *     read/write as on a kernel built without it.</li>
 * </ul>
 * The profile names, per architecture of the family of the native one (x86_64 with i386 and x32,
 * or aarch64), only syscalls that exist on at least one of them, so compiling it skips nothing.
 */
public final class DefaultSeccomp {
    /** {@code CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET}. */
    static final long CLONE_NAMESPACE_FLAGS = 0x7E020000L;
    /** {@code AF_VSOCK}. */
    static final long AF_VSOCK = 40;
    static final long[] PERSONALITIES = {0x0L, 0x8L, 0x20000L, 0x20008L, 0xffffffffL};
    private static final String ALLOW = "SCMP_ACT_ALLOW";
    private static final String ERRNO = "SCMP_ACT_ERRNO";

    private DefaultSeccomp() {
    }

    /** The profile for a container with effective capabilities {@code caps} on {@code nativeArch}. */
    public static Seccomp profile(Set<Capability> caps, Arch nativeArch) {
        List<Arch> family = family(nativeArch);
        boolean admin = caps.contains(Capability.CAP_SYS_ADMIN);
        List<SeccompSyscall> rules = new ArrayList<>();
        rules.add(rule(allowed(caps, family), ALLOW, null));
        for (long p : PERSONALITIES) {
            rules.add(rule(List.of("personality"), ALLOW, null, arg(0, p, 0, "SCMP_CMP_EQ")));
        }
        rules.add(rule(List.of("socket"), ALLOW, null, arg(0, AF_VSOCK, 0, "SCMP_CMP_NE")));
        if (!admin) {
            rules.add(rule(List.of("clone"), ALLOW, null,
                    arg(0, CLONE_NAMESPACE_FLAGS, 0, "SCMP_CMP_MASKED_EQ")));
            rules.add(rule(List.of("clone3"), ERRNO, (long) SeccompAction.ENOSYS));
        }
        rules.add(rule(List.of("io_uring_setup", "io_uring_enter", "io_uring_register"), ERRNO,
                (long) SeccompAction.ENOSYS));
        List<String> arches = new ArrayList<>(family.size());
        for (Arch a : family) {
            arches.add(a.specName());
        }
        return new Seccomp(ERRNO, (long) SeccompAction.EPERM, arches, List.of(), null, null, rules);
    }

    /** The native arch and those that run on it, as the profile lists them. */
    static List<Arch> family(Arch nativeArch) {
        List<Arch> family = new ArrayList<>(3);
        family.add(nativeArch);
        for (Arch a : Arch.values()) {
            if (a != nativeArch && a.runsOn(nativeArch)) {
                family.add(a);
            }
        }
        return family;
    }

    /** The names of every group {@code caps} unlocks that some arch of {@code family} has. */
    private static List<String> allowed(Set<Capability> caps, List<Arch> family) {
        SyscallTable[] tables = new SyscallTable[family.size()];
        for (int i = 0; i < tables.length; i++) {
            tables[i] = SyscallTable.of(family.get(i));
        }
        Set<String> names = new LinkedHashSet<>(512);
        for (SyscallGroup group : SyscallGroup.all()) {
            if (group.unlockedBy(caps)) {
                for (String name : group.names()) {
                    if (known(name, tables)) {
                        names.add(name);
                    }
                }
            }
        }
        return new ArrayList<>(names);
    }

    private static boolean known(String name, SyscallTable[] tables) {
        for (SyscallTable t : tables) {
            if (t.number(name) >= 0) {
                return true;
            }
        }
        return false;
    }

    private static SeccompSyscall rule(List<String> names, String action, Long errno, SeccompArg... args) {
        return new SeccompSyscall(names, action, errno, List.of(args));
    }

    private static SeccompArg arg(long index, long value, long valueTwo, String op) {
        return new SeccompArg(index, value, valueTwo, op);
    }
}
