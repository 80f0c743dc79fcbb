package dev.nido.engine;

import dev.nido.image.build.Users;
import dev.nido.image.store.Image;
import dev.nido.oci.Capabilities;
import dev.nido.oci.Capability;
import dev.nido.oci.ContainerConfig;
import dev.nido.oci.Cpu;
import dev.nido.oci.DefaultSpec;
import dev.nido.oci.Memory;
import dev.nido.oci.Mount;
import dev.nido.oci.Namespace;
import dev.nido.oci.NamespaceType;
import dev.nido.oci.Pids;
import dev.nido.oci.Process;
import dev.nido.oci.Resources;
import dev.nido.oci.Root;
import dev.nido.oci.RuntimeSpec;
import dev.nido.oci.User;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The OCI config.json of a container: the runtime's default spec (Docker's capabilities, the
 * default seccomp profile, masked paths), the image's defaults (entrypoint, command, env, working
 * directory, user) and the user's flags on top — what podman hands crun.
 */
public final class SpecFromImage {
    private SpecFromImage() {
    }

    public static RuntimeSpec build(Image image, RunOptions o, Path rootfs, String id) {
        ContainerConfig c = image.config().config() == null ? ContainerConfig.empty() : image.config().config();
        RunOptions.Extra x = o.extra();
        List<String> args = new ArrayList<>(o.entrypoint() != null
                ? (o.entrypoint().isEmpty() ? List.of() : List.of(o.entrypoint())) : c.entrypoint());
        args.addAll(o.command().isEmpty() ? c.cmd() : o.command());
        if (x.system()) {
            args = new ArrayList<>(o.command().isEmpty() ? List.of("/sbin/init") : o.command());
        }
        if (x.init()) {
            args.addAll(0, List.of(SystemContainers.INIT_PATH, "--"));
        }
        if (args.isEmpty()) {
            throw new EngineException("image " + image.name() + " has no command (no CMD or ENTRYPOINT): give one,"
                    + " e.g. nido run IMAGE sh");
        }
        RuntimeSpec spec = DefaultSpec.create(false, 0, 0);
        Process d = spec.process();
        String who = o.user() != null ? o.user() : c.user();
        Users.Ids ids = Users.resolve(rootfs, who == null || who.isEmpty() ? "0" : who);
        String cwd = o.workdir() != null ? o.workdir() : c.workingDir() == null || c.workingDir().isEmpty() ? "/"
                : c.workingDir();
        List<String> env = env(c.env(), o.env());
        if (x.system()) {
            env = SystemContainers.env(env);
        }
        Process p = new Process(o.tty() || x.system(), null, new User(ids.uid(), ids.gid(), null,
                ids.groups().isEmpty() ? null : ids.groups(), null), args, null, env, cwd,
                capabilities(d.capabilities(), o), d.rlimits(), noNewPrivileges(o), null, null, null, null, null, null);
        List<Namespace> ns = new ArrayList<>();
        for (Namespace n : spec.linux().namespaces()) {
            if (!(o.network().equals("host") && n.type().equals(NamespaceType.NETWORK.jsonName()))) {
                ns.add(n);
            }
        }
        List<Mount> mounts = new ArrayList<>(spec.mounts());
        for (String v : o.volumes()) {
            mounts.add(Volumes.bind(v));
        }
        for (String t : o.tmpfs()) {
            mounts.add(Volumes.tmpfs(t));
        }
        if (x.init()) {
            mounts.add(SystemContainers.initMount());
        }
        if (x.system() && SystemContainers.isSystemd(rootfs)) {
            mounts.addAll(SystemContainers.systemdMounts(mounts));
        }
        Map<String, String> annotations = new LinkedHashMap<>(o.labels());
        annotations.put("dev.nido.image", image.name() == null ? image.id().toString() : image.name());
        RuntimeSpec out = spec.withProcess(p).withRoot(new Root(rootfs.toString(), o.readOnly()))
                .withHostname(o.hostname() != null ? o.hostname() : id.substring(0, 12))
                .withMounts(mounts).withAnnotations(annotations)
                .withLinux(spec.linux().withNamespaces(ns).withResources(resources(spec.linux().resources(), o)));
        if (o.privileged()) {
            return out;
        }
        return SecurityOpts.seccomp(out, x.securityOpts());
    }

    private static boolean noNewPrivileges(RunOptions o) {
        return !o.privileged() && SecurityOpts.noNewPrivileges(o.extra().securityOpts());
    }

    /** The image's environment, then -e KEY=VALUE (replacing) and -e KEY (taken from nido's environment). */
    static List<String> env(List<String> image, List<String> flags) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String e : image) {
            int eq = e.indexOf('=');
            m.put(eq < 0 ? e : e.substring(0, eq), eq < 0 ? "" : e.substring(eq + 1));
        }
        m.putIfAbsent("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        for (String e : flags) {
            int eq = e.indexOf('=');
            if (eq == 0) {
                throw new EngineException("-e " + e + ": expected KEY=VALUE or KEY");
            }
            if (eq < 0) {
                String v = System.getenv(e);
                if (v != null) {
                    m.put(e, v);
                }
            } else {
                m.put(e.substring(0, eq), e.substring(eq + 1));
            }
        }
        List<String> out = new ArrayList<>();
        m.forEach((k, v) -> out.add(k + "=" + v));
        return out;
    }

    private static Capabilities capabilities(Capabilities base, RunOptions o) {
        Set<String> caps = new LinkedHashSet<>(o.privileged() ? Capability.names() : base.bounding());
        if (o.extra().system()) {
            caps.add("CAP_SYS_BOOT"); // its init shuts down with reboot(2), which ends the PID namespace
        }
        for (String a : o.capAdd()) {
            if (a.equalsIgnoreCase("ALL")) {
                caps.addAll(Capability.names());
            } else {
                caps.add(capName(a));
            }
        }
        for (String r : o.capDrop()) {
            if (r.equalsIgnoreCase("ALL")) {
                caps.clear();
            } else {
                caps.remove(capName(r));
            }
        }
        List<String> l = List.copyOf(caps);
        return new Capabilities(l, l, null, l, null);
    }

    static String capName(String flag) {
        String n = flag.toUpperCase(java.util.Locale.ROOT);
        n = n.startsWith("CAP_") ? n : "CAP_" + n;
        if (Capability.byName(n).isEmpty()) {
            throw new EngineException("--cap-add/--cap-drop " + flag + ": unknown capability (see capabilities(7),"
                    + " e.g. NET_ADMIN)");
        }
        return n;
    }

    private static Resources resources(Resources base, RunOptions o) {
        Long swap = o.extra().memorySwap();
        if (swap != null && o.memory() == null) {
            throw new EngineException("--memory-swap needs --memory too (--memory-swap is memory plus swap)");
        }
        if (swap != null && swap != -1 && swap < o.memory()) {
            throw new EngineException("--memory-swap " + swap + " is below --memory " + o.memory()
                    + ": it is memory plus swap, so at least as large (or -1 for unlimited swap)");
        }
        Memory mem = o.memory() == null ? null : new Memory(o.memory(), null, swap, null, null, null, null, null, null);
        Long quota = o.cpus() == null ? null : Math.round(o.cpus() * 100_000);
        Cpu cpu = o.cpus() == null && o.cpuShares() == null && o.cpusetCpus() == null ? null
                : new Cpu(o.cpuShares(), quota, null, quota == null ? null : 100_000L, null, null, o.cpusetCpus(), null,
                null);
        Pids pids = o.pidsLimit() == null ? null : new Pids(o.pidsLimit());
        return new Resources(base == null ? null : base.devices(), mem, cpu, pids, null, null, null, null, null);
    }

    static boolean exists(Path p) {
        return Files.exists(p);
    }
}
