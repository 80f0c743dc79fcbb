package dev.nido.runtime;

import dev.nido.linux.Syscalls;
import dev.nido.oci.IdMapping;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Writes a new user namespace's uid and gid maps (user_namespaces(7)). Root writes
 * {@code /proc/PID/uid_map} itself. Another user may write only a map of its own id (and, for
 * gids, only after writing "deny" to {@code /proc/PID/setgroups}); any other map goes through the
 * set-uid helpers {@code newuidmap}/{@code newgidmap} (Debian package uidmap), which check it
 * against {@code /etc/subuid} and {@code /etc/subgid}.
 */
final class IdMapWriter {
    private final Syscalls sys;
    private final long uid;
    private final long gid;

    IdMapWriter(Syscalls sys, long uid, long gid) {
        this.sys = sys;
        this.uid = uid;
        this.gid = gid;
    }

    void write(int pid, List<IdMapping> uids, List<IdMapping> gids) {
        if (uids != null && !uids.isEmpty()) {
            write(pid, "uid", uids, uid);
        }
        if (gids != null && !gids.isEmpty()) {
            write(pid, "gid", gids, gid);
        }
    }

    private void write(int pid, String kind, List<IdMapping> maps, long own) {
        Path file = Path.of("/proc/" + pid + "/" + kind + "_map");
        if (uid == 0) {
            sys.writeFile(file, mapText(maps));
        } else if (onlyOwn(maps, own)) {
            if (kind.equals("gid")) {
                sys.writeFile(Path.of("/proc/" + pid + "/setgroups"), "deny");
            }
            sys.writeFile(file, mapText(maps));
        } else {
            runHelper("new" + kind + "map", pid, kind, maps);
        }
    }

    /** A map an unprivileged writer may write itself: its own id, once. */
    static boolean onlyOwn(List<IdMapping> maps, long own) {
        return maps.size() == 1 && maps.getFirst().hostID() == own && maps.getFirst().size() == 1;
    }

    static String mapText(List<IdMapping> maps) {
        return dev.nido.runtime.plan.PlanBuilder.mapText(maps);
    }

    static List<String> helperArgs(String helper, int pid, List<IdMapping> maps) {
        List<String> args = new ArrayList<>(List.of(helper, Integer.toString(pid)));
        for (IdMapping m : maps) {
            args.add(Long.toString(m.containerID()));
            args.add(Long.toString(m.hostID()));
            args.add(Long.toString(m.size()));
        }
        return args;
    }

    private void runHelper(String helper, int pid, String kind, List<IdMapping> maps) {
        String field = "linux." + kind + "Mappings";
        String sub = kind.equals("uid") ? "/etc/subuid" : "/etc/subgid";
        List<String> args = helperArgs(helper, pid, maps);
        try {
            java.lang.Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new ContainerException(field + ": " + helper + " did not finish in 10 s");
            }
            if (p.exitValue() != 0) {
                throw new ContainerException(field + ": " + String.join(" ", args) + " failed: " + out
                        + " (a non-root user may map only ids delegated to it in " + sub + ")");
            }
        } catch (IOException e) {
            throw new ContainerException(field + ": cannot run " + helper + " (" + e.getMessage()
                    + "); a non-root user needs it for a map other than its own id: apt-get install uidmap", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ContainerException(field + ": interrupted while running " + helper, e);
        }
    }
}
