package dev.nido.runtime;

import dev.nido.oci.RuntimeSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * AppArmor and SELinux labels from the spec: applied by the plan when the host runs that LSM,
 * refused with a message when it does not (a label that silently does nothing would leave a
 * container less confined than its author asked for; runc skips it without a word).
 */
final class LsmSupport {
    static final Path APPARMOR_ENABLED = Path.of("/sys/module/apparmor/parameters/enabled");
    static final Path APPARMOR_PROFILES = Path.of("/sys/kernel/security/apparmor/profiles");
    static final Path SELINUX_ENFORCE = Path.of("/sys/fs/selinux/enforce");

    private LsmSupport() {
    }

    /** Checks the process's labels (and, for a container, linux.mountLabel) against this host. */
    static void check(RuntimeSpec spec, dev.nido.oci.Process p, boolean container) {
        String where = container ? "process." : "exec process ";
        if (set(p.apparmorProfile())) {
            checkAppArmor(where + "apparmorProfile", p.apparmorProfile());
        }
        if (set(p.selinuxLabel()) && !Files.exists(SELINUX_ENFORCE)) {
            throw noSelinux(where + "selinuxLabel", p.selinuxLabel());
        }
        if (container && spec.linux() != null && set(spec.linux().mountLabel()) && !Files.exists(SELINUX_ENFORCE)) {
            throw noSelinux("linux.mountLabel", spec.linux().mountLabel());
        }
    }

    private static void checkAppArmor(String field, String profile) {
        if (!appArmorEnabled()) {
            throw new ContainerException(field + " \"" + profile + "\": this host does not run AppArmor ("
                    + APPARMOR_ENABLED + " is not Y); remove the field, or boot with AppArmor enabled");
        }
        if (!profile.equals("unconfined") && !loaded(profile)) {
            throw new ContainerException(field + " \"" + profile + "\": no such AppArmor profile is loaded"
                    + " (load it with apparmor_parser -r FILE, see " + APPARMOR_PROFILES + ")");
        }
    }

    private static ContainerException noSelinux(String field, String label) {
        return new ContainerException(field + " \"" + label + "\": this host does not run SELinux ("
                + SELINUX_ENFORCE + " is missing); remove the field, or enable SELinux");
    }

    static boolean appArmorEnabled() {
        try {
            return Files.readString(APPARMOR_ENABLED).strip().equals("Y");
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean loaded(String profile) {
        try {
            for (String line : Files.readAllLines(APPARMOR_PROFILES)) {
                if (line.startsWith(profile + " (")) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return true; // securityfs not mounted here: let the kernel judge at exec
        }
    }

    private static boolean set(String s) {
        return s != null && !s.isEmpty();
    }
}
