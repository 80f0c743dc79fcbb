package dev.nido.engine;

import dev.nido.image.snapshot.IdmapNamespace;
import dev.nido.image.snapshot.Rootfs;
import dev.nido.image.snapshot.Snapshots;
import dev.nido.linux.Fd;
import dev.nido.linux.Syscalls;
import dev.nido.oci.IdMapping;
import dev.nido.oci.Linux;
import dev.nido.oci.Namespace;
import dev.nido.oci.NamespaceType;
import dev.nido.oci.RuntimeSpec;
import dev.nido.oci.SpecReader;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Containers in a user namespace ({@code --userns=auto}, LXC's {@code lxc.idmap}): root inside is
 * an unprivileged id range outside. Each container of {@code --userns=auto} gets its own range of
 * 65536 ids from 100000 on (as LXC's and podman's defaults), and its root filesystem is an overlay
 * of id-mapped layers ({@link Rootfs#remountIdmapped}), so the shared snapshots stay owned by
 * host root on disk and nothing is chowned.
 */
public final class UserNamespaces {
    static final long FIRST = 100_000;
    static final long DEFAULT_SIZE = 65_536;

    private UserNamespaces() {
    }

    /** {@code --userns}: null for host, else the number of ids to map. */
    static Long size(String flag) {
        if (flag == null || flag.equals("host") || flag.isEmpty()) {
            return null;
        }
        if (flag.equals("auto")) {
            return DEFAULT_SIZE;
        }
        if (flag.startsWith("auto:size=")) {
            try {
                long n = Long.parseLong(flag.substring("auto:size=".length()));
                if (n >= 1 && n <= DEFAULT_SIZE * 16) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // below
            }
        }
        throw new EngineException("--userns " + flag + ": expected host, auto or auto:size=N (N from 1 to 1048576)");
    }

    /** The first host id range of {@code size} ids that no container of this store maps. */
    static long allocate(Containers cs, long size) {
        List<long[]> used = new ArrayList<>();
        for (ContainerInfo c : cs.list()) {
            for (IdMapping m : mappings(cs.dir(c.id()))) {
                used.add(new long[] {m.hostID(), m.hostID() + m.size()});
            }
        }
        long base = FIRST;
        boolean moved = true;
        while (moved) {
            moved = false;
            for (long[] u : used) {
                if (base < u[1] && u[0] < base + size) {
                    base = (u[1] + DEFAULT_SIZE - 1) / DEFAULT_SIZE * DEFAULT_SIZE; // next aligned range
                    moved = true;
                }
            }
        }
        return base;
    }

    /** The spec with a user namespace mapping container 0.. to host base.. (uids and gids). */
    static RuntimeSpec apply(RuntimeSpec spec, long base, long size) {
        Linux l = spec.linux();
        List<Namespace> ns = new ArrayList<>(l.namespaces());
        if (ns.stream().noneMatch(n -> n.type().equals(NamespaceType.USER.jsonName()))) {
            ns.add(Namespace.of(NamespaceType.USER));
        }
        IdMapping m = IdMapping.of(0, base, size);
        // -v SRC:DST:idmap: the bind is id-mapped like the layers, so host root's files are the container root's
        List<dev.nido.oci.Mount> mounts = new ArrayList<>();
        for (dev.nido.oci.Mount mt : spec.mounts()) {
            mounts.add(idmapped(mt) ? new dev.nido.oci.Mount(mt.destination(), mt.type(), mt.source(), mt.options(),
                    List.of(m), List.of(m)) : mt);
        }
        return spec.withMounts(mounts).withLinux(l.withIdMappings(List.of(m), List.of(m)).withNamespaces(ns));
    }

    static boolean idmapped(dev.nido.oci.Mount m) {
        return m.options() != null && (m.options().contains("idmap") || m.options().contains("ridmap"));
    }

    /** A volume asking to be id-mapped needs a user namespace to map from. */
    static void checkVolumes(RuntimeSpec spec) {
        for (dev.nido.oci.Mount m : spec.mounts()) {
            if (idmapped(m) && (m.uidMappings() == null || m.uidMappings().isEmpty())) {
                throw new EngineException("-v " + m.source() + ":" + m.destination() + ":idmap needs a user namespace"
                        + " to map from: add --userns=auto");
            }
        }
    }

    /**
     * The container's root is an unprivileged host id: every directory above its root filesystem
     * must let others through (as runc requires of a bundle for a user namespace).
     */
    private static void searchable(Path dir, String name) {
        for (Path p = dir.toAbsolutePath(); p != null; p = p.getParent()) {
            try {
                var perms = Files.getPosixFilePermissions(p);
                if (!perms.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
                    throw new EngineException("container " + name + " runs in a user namespace, whose root cannot"
                            + " reach its root filesystem through " + p + ": chmod o+x " + p + " (or use a store"
                            + " under a searchable path)");
                }
            } catch (IOException e) {
                throw new EngineException("check " + p + ": " + e.getMessage(), e);
            }
        }
    }

    /** The uid mappings of a container's config.json (empty without a user namespace). */
    static List<IdMapping> mappings(Path dir) {
        return read(dir, true);
    }

    private static List<IdMapping> read(Path dir, boolean uids) {
        Path f = dir.resolve("bundle/config.json");
        try {
            byte[] b = Files.readAllBytes(f);
            if (!new String(b, StandardCharsets.UTF_8).contains("idMappings") && !new String(b,
                    StandardCharsets.UTF_8).contains("uidMappings")) {
                return List.of(); // the common case, without parsing
            }
            RuntimeSpec s = SpecReader.parse(b, f.toString());
            return uids ? s.linux().uidMappings() : s.linux().gidMappings();
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /**
     * Mounts the container's root filesystem for its next run: id-mapped when its config maps ids
     * (one uid and one gid range from container id 0, as LXC's usual lxc.idmap), else plainly.
     */
    static void mountRootfs(Syscalls sys, Snapshots snapshots, Path dir, String name) {
        List<IdMapping> u = read(dir, true);
        if (u.isEmpty()) {
            Rootfs.remount(sys, snapshots, dir.resolve("fs"));
            return;
        }
        List<IdMapping> g = read(dir, false);
        if (u.size() != 1 || g.size() != 1 || u.getFirst().containerID() != 0 || g.getFirst().containerID() != 0) {
            throw new EngineException("container " + name + ": its id maps (lxc.idmap) must be one uid and one gid"
                    + " range starting at container id 0 for its layers to be id-mapped (e.g. u 0 100000 65536 and"
                    + " g 0 100000 65536)");
        }
        searchable(dir, name);
        Fd ns = IdmapNamespace.open(sys, u.getFirst().hostID(), u.getFirst().size(), g.getFirst().hostID(),
                g.getFirst().size());
        try {
            Rootfs.remountIdmapped(sys, snapshots, dir.resolve("fs"), ns, Math.toIntExact(u.getFirst().hostID()),
                    Math.toIntExact(g.getFirst().hostID()));
        } finally {
            sys.close(ns);
        }
    }
}
