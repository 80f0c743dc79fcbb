package dev.nido.engine;

import dev.nido.oci.IdMapping;
import dev.nido.oci.Linux;
import dev.nido.oci.Memory;
import dev.nido.oci.Mount;
import dev.nido.oci.Namespace;
import dev.nido.oci.NamespaceType;
import dev.nido.oci.Pids;
import dev.nido.oci.Resources;
import dev.nido.oci.RuntimeSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * LXC's configuration keys (lxc.container.conf(5)) read from and written to a container's OCI
 * config, for people who come from LXC: {@code nido config box lxc.uts.name=web1}. Changes apply
 * at the next start.
 */
public final class LxcConfig {
    /** The keys nido maps, with what they mean. */
    public static final Map<String, String> KEYS = new LinkedHashMap<>();

    static {
        KEYS.put("lxc.uts.name", "host name");
        KEYS.put("lxc.init.cmd", "the command (words separated by spaces)");
        KEYS.put("lxc.environment", "KEY=VALUE in the environment (one per setting; empty value: clear all)");
        KEYS.put("lxc.mount.entry", "an fstab line: SOURCE TARGET-IN-ROOTFS TYPE OPTIONS 0 0 (empty: clear all)");
        KEYS.put("lxc.cgroup.memory.limit_in_bytes", "memory limit in bytes (cgroup v1 name)");
        KEYS.put("lxc.cgroup2.memory.max", "memory limit in bytes or max (cgroup v2 name)");
        KEYS.put("lxc.cgroup.pids.max", "most processes (v1 name)");
        KEYS.put("lxc.cgroup2.pids.max", "most processes (v2 name)");
        KEYS.put("lxc.cgroup.cpu.shares", "relative CPU weight");
        KEYS.put("lxc.cgroup.cpuset.cpus", "CPUs allowed");
        KEYS.put("lxc.cgroup2.cpuset.cpus", "CPUs allowed (v2 name)");
        KEYS.put("lxc.idmap", "u|g CONTAINER-ID HOST-ID COUNT (one per setting; empty: clear all)");
        KEYS.put("lxc.start.auto", "0 or 1 (recorded; nido has no daemon to act on it)");
    }

    static final String START_AUTO = "dev.nido.lxc.start.auto";

    private LxcConfig() {
    }

    /** Every key with its current value(s), in LXC's {@code key = value} lines. */
    public static List<String> show(RuntimeSpec s) {
        List<String> out = new ArrayList<>();
        if (s.hostname() != null) {
            out.add("lxc.uts.name = " + s.hostname());
        }
        out.add("lxc.init.cmd = " + String.join(" ", s.process().args()));
        s.process().env().forEach(e -> out.add("lxc.environment = " + e));
        for (Mount m : s.mounts()) {
            if (m.options().contains("bind") || m.options().contains("rbind")) {
                out.add("lxc.mount.entry = " + m.source() + " " + m.destination().substring(1) + " none "
                        + String.join(",", m.options()) + " 0 0");
            }
        }
        Resources r = s.linux().resources();
        if (r != null && r.memory() != null && r.memory().limit() != null) {
            out.add("lxc.cgroup2.memory.max = " + r.memory().limit());
        }
        if (r != null && r.pids() != null && r.pids().limit() != null) {
            out.add("lxc.cgroup2.pids.max = " + r.pids().limit());
        }
        if (r != null && r.cpu() != null && r.cpu().shares() != null) {
            out.add("lxc.cgroup.cpu.shares = " + r.cpu().shares());
        }
        if (r != null && r.cpu() != null && r.cpu().cpus() != null) {
            out.add("lxc.cgroup2.cpuset.cpus = " + r.cpu().cpus());
        }
        s.linux().uidMappings().forEach(m -> out.add("lxc.idmap = u " + m.containerID() + " " + m.hostID() + " " + m.size()));
        s.linux().gidMappings().forEach(m -> out.add("lxc.idmap = g " + m.containerID() + " " + m.hostID() + " " + m.size()));
        if (s.annotations() != null && s.annotations().containsKey(START_AUTO)) {
            out.add("lxc.start.auto = " + s.annotations().get(START_AUTO));
        }
        return out;
    }

    /** The spec with {@code key = value} applied. */
    public static RuntimeSpec set(RuntimeSpec s, String key, String value) {
        String v = value.strip();
        if (key.startsWith("lxc.net.") || key.startsWith("lxc.network.")) {
            throw new EngineException(key + ": networks are not in nido yet (containers get --network none or host)");
        }
        return switch (key) {
            case "lxc.uts.name" -> s.withHostname(v);
            case "lxc.init.cmd" -> {
                if (v.isEmpty()) {
                    throw new EngineException("lxc.init.cmd: give a command");
                }
                yield s.withProcess(s.process().withArgs(List.of(v.split("\\s+"))));
            }
            case "lxc.environment" -> s.withProcess(s.process().withEnv(environment(s.process().env(), v)));
            case "lxc.mount.entry" -> v.isEmpty() ? s.withMounts(withoutBinds(s.mounts()))
                    : s.withMounts(append(s.mounts(), mountEntry(v)));
            case "lxc.cgroup.memory.limit_in_bytes", "lxc.cgroup2.memory.max" ->
                    resources(s, r -> new Resources(r.devices(), new Memory(number(key, v, true), null, null, null,
                            null, null, null, null, null), r.cpu(), r.pids(), r.blockIO(), r.hugepageLimits(),
                            r.network(), r.rdma(), r.unified()));
            case "lxc.cgroup.pids.max", "lxc.cgroup2.pids.max" ->
                    resources(s, r -> new Resources(r.devices(), r.memory(), r.cpu(), new Pids(number(key, v, true)),
                            r.blockIO(), r.hugepageLimits(), r.network(), r.rdma(), r.unified()));
            case "lxc.cgroup.cpu.shares" -> resources(s, r -> new Resources(r.devices(), r.memory(),
                    cpu(r.cpu(), number(key, v, false), null), r.pids(), r.blockIO(), r.hugepageLimits(), r.network(),
                    r.rdma(), r.unified()));
            case "lxc.cgroup.cpuset.cpus", "lxc.cgroup2.cpuset.cpus" -> resources(s, r -> new Resources(r.devices(),
                    r.memory(), cpu(r.cpu(), null, v), r.pids(), r.blockIO(), r.hugepageLimits(), r.network(),
                    r.rdma(), r.unified()));
            case "lxc.idmap" -> idmap(s, v);
            case "lxc.start.auto" -> {
                if (!v.equals("0") && !v.equals("1")) {
                    throw new EngineException("lxc.start.auto: expected 0 or 1");
                }
                Map<String, String> a = new LinkedHashMap<>(s.annotations() == null ? Map.of() : s.annotations());
                a.put(START_AUTO, v);
                yield s.withAnnotations(a);
            }
            default -> throw new EngineException("unknown key " + key + " (nido maps " + String.join(", ", KEYS.keySet())
                    + ")");
        };
    }

    private static List<String> environment(List<String> env, String kv) {
        if (kv.isEmpty()) {
            return List.of();
        }
        int eq = kv.indexOf('=');
        if (eq <= 0) {
            throw new EngineException("lxc.environment: expected KEY=VALUE, got \"" + kv + "\"");
        }
        String k = kv.substring(0, eq + 1);
        List<String> out = new ArrayList<>();
        for (String e : env) {
            if (!e.startsWith(k)) {
                out.add(e);
            }
        }
        out.add(kv);
        return out;
    }

    /** {@code /home/so mnt/home_so none bind,create=dir 0 0}: the target is relative to the rootfs. */
    static Mount mountEntry(String line) {
        String[] f = line.split("\\s+");
        if (f.length < 4) {
            throw new EngineException("lxc.mount.entry: expected SOURCE TARGET TYPE OPTIONS [0 0], got \"" + line + "\"");
        }
        List<String> opts = new ArrayList<>();
        boolean bind = false;
        for (String o : f[3].split(",")) {
            if (o.startsWith("create=") || o.equals("optional") || o.equals("defaults")) {
                continue; // nido creates missing mount points itself
            }
            bind |= o.equals("bind") || o.equals("rbind");
            opts.add(o);
        }
        String target = "/" + (f[1].startsWith("/") ? f[1].substring(1) : f[1]);
        if (bind || f[2].equals("none")) {
            if (!bind) {
                opts.addFirst("bind");
            }
            if (!f[0].startsWith("/") || !java.nio.file.Files.exists(java.nio.file.Path.of(f[0]))) {
                throw new EngineException("lxc.mount.entry: source " + f[0] + " must be an existing absolute host path");
            }
            return Mount.of(target, "bind", f[0], opts);
        }
        return Mount.of(target, f[2], f[0], opts);
    }

    private static List<Mount> append(List<Mount> mounts, Mount m) {
        List<Mount> out = new ArrayList<>(mounts);
        out.removeIf(x -> x.destination().equals(m.destination()));
        out.add(m);
        return out;
    }

    private static List<Mount> withoutBinds(List<Mount> mounts) {
        List<Mount> out = new ArrayList<>();
        for (Mount m : mounts) {
            if (!m.options().contains("bind") && !m.options().contains("rbind")) {
                out.add(m);
            }
        }
        return out;
    }

    private static Long number(String key, String v, boolean maxAllowed) {
        if (maxAllowed && v.equals("max")) {
            return -1L;
        }
        try {
            long n = Long.parseLong(v);
            if (n <= 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new EngineException(key + ": expected a positive whole number" + (maxAllowed ? " or max" : "")
                    + ", got \"" + v + "\"");
        }
    }

    private static long id(String text, String line) {
        try {
            long n = Long.parseLong(text);
            if (n < 0 || n > 0xffffffffL) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new EngineException("lxc.idmap: \"" + text + "\" is not an id (0 to 4294967295) in \"" + line + "\"");
        }
    }

    private static dev.nido.oci.Cpu cpu(dev.nido.oci.Cpu c, Long shares, String cpus) {
        return new dev.nido.oci.Cpu(shares != null ? shares : c == null ? null : c.shares(), c == null ? null : c.quota(),
                c == null ? null : c.burst(), c == null ? null : c.period(), null, null,
                cpus != null ? cpus : c == null ? null : c.cpus(), c == null ? null : c.mems(), null);
    }

    private static RuntimeSpec resources(RuntimeSpec s, java.util.function.UnaryOperator<Resources> change) {
        Resources r = s.linux().resources() == null
                ? new Resources(null, null, null, null, null, null, null, null, null) : s.linux().resources();
        return s.withLinux(s.linux().withResources(change.apply(r)));
    }

    private static RuntimeSpec idmap(RuntimeSpec s, String v) {
        Linux l = s.linux();
        if (v.isEmpty()) {
            return s.withLinux(l.withIdMappings(List.of(), List.of()).withNamespaces(l.namespaces().stream()
                    .filter(n -> !n.type().equals(NamespaceType.USER.jsonName())).toList()));
        }
        String[] f = v.split("\\s+");
        if (f.length != 4 || !(f[0].equals("u") || f[0].equals("g") || f[0].equals("b"))) {
            throw new EngineException("lxc.idmap: expected u|g|b CONTAINER-ID HOST-ID COUNT, got \"" + v + "\"");
        }
        IdMapping m = IdMapping.of(id(f[1], v), id(f[2], v), number("lxc.idmap", f[3], false));
        List<IdMapping> uids = new ArrayList<>(l.uidMappings());
        List<IdMapping> gids = new ArrayList<>(l.gidMappings());
        if (!f[0].equals("g")) {
            uids.add(m);
        }
        if (!f[0].equals("u")) {
            gids.add(m);
        }
        List<Namespace> ns = new ArrayList<>(l.namespaces());
        if (ns.stream().noneMatch(n -> n.type().equals(NamespaceType.USER.jsonName()))) {
            ns.add(Namespace.of(NamespaceType.USER));
        }
        return s.withLinux(l.withIdMappings(uids, gids).withNamespaces(ns));
    }
}
