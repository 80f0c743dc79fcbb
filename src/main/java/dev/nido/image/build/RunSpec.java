package dev.nido.image.build;

import dev.nido.oci.DefaultSpec;
import dev.nido.oci.Mount;
import dev.nido.oci.Namespace;
import dev.nido.oci.NamespaceType;
import dev.nido.oci.Process;
import dev.nido.oci.Root;
import dev.nido.oci.RuntimeSpec;
import dev.nido.oci.User;
import dev.nido.security.DefaultConfinement;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code config.json} of a RUN step: the default spec (Docker's capabilities, masked paths)
 * with the default seccomp profile, the step's command, environment, directory and user, the
 * mounted overlay as a writable root, hostname {@code nido-build}, and no network namespace, so
 * that {@code apt-get} reaches the network as it does under {@code docker build}. The host's
 * {@code /etc/resolv.conf} is bound read-only over the image's when {@code resolvConf} says so.
 */
final class RunSpec {
    static final String HOSTNAME = "nido-build";

    private RunSpec() {
    }

    /**
     * @param resolvConf the host file to bind read-only on {@code /etc/resolv.conf}, or null
     */
    static RuntimeSpec create(List<String> args, List<String> env, String cwd, Users.Ids user, Path rootfs,
                              Path resolvConf) {
        RuntimeSpec spec = DefaultSpec.create(false, 0, 0);
        Process d = spec.process();
        // no_new_privs off as under docker build: a RUN step may use setuid programs (su, sudo)
        Process p = new Process(false, null, new User(user.uid(), user.gid(), null,
                user.groups().isEmpty() ? null : user.groups(), null), args, null, env, cwd, d.capabilities(),
                d.rlimits(), false, null, null, null, null, null, null);
        List<Namespace> namespaces = spec.linux().namespaces().stream()
                .filter(n -> !n.type().equals(NamespaceType.NETWORK.jsonName())).toList();
        List<Mount> mounts = new ArrayList<>(spec.mounts());
        if (resolvConf != null) {
            mounts.add(Mount.of("/etc/resolv.conf", "bind", resolvConf.toString(),
                    List.of("rbind", "ro", "nosuid", "nodev", "noexec")));
        }
        RuntimeSpec out = spec.withProcess(p).withRoot(new Root(rootfs.toString(), false)).withHostname(HOSTNAME)
                .withMounts(mounts).withLinux(spec.linux().withNamespaces(namespaces));
        return DefaultConfinement.withDefaultSeccomp(out);
    }

    /** The environment of a RUN: the image's, a default PATH if it has none, then build arguments it does not set. */
    static List<String> env(List<String> imageEnv, java.util.Map<String, String> buildArgs) {
        List<String> out = new ArrayList<>(imageEnv);
        if (out.stream().noneMatch(e -> e.startsWith("PATH="))) {
            out.addFirst("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        }
        for (var a : buildArgs.entrySet()) {
            if (a.getValue() != null && out.stream().noneMatch(e -> e.startsWith(a.getKey() + "="))) {
                out.add(a.getKey() + "=" + a.getValue());
            }
        }
        return out;
    }
}
