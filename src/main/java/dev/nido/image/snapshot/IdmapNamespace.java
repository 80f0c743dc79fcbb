package dev.nido.image.snapshot;

import dev.nido.image.ImageException;
import dev.nido.linux.Fd;
import dev.nido.linux.Syscalls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A user namespace with given id maps, held open as an fd for mount_setattr(2) MOUNT_ATTR_IDMAP.
 * A JVM cannot unshare(CLONE_NEWUSER) (it is multithreaded), so util-linux's
 * {@code unshare --user} makes one around a short {@code sleep}; root writes its maps, opens the
 * namespace and ends the process (the fd keeps the namespace).
 */
public final class IdmapNamespace {
    private IdmapNamespace() {
    }

    /** A namespace mapping container uids 0..uidCount-1 to host uids hostUid.., and gids likewise. */
    public static Fd open(Syscalls sys, long hostUid, long uidCount, long hostGid, long gidCount) {
        Process p;
        try {
            p = new ProcessBuilder("unshare", "--user", "sleep", "30")
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.PIPE)
                    .start();
        } catch (IOException e) {
            throw new ImageException("cannot run unshare (util-linux) for a user namespace: " + e.getMessage(), e);
        }
        try {
            Path proc = Path.of("/proc/" + p.pid());
            String ours = Files.readSymbolicLink(Path.of("/proc/self/ns/user")).toString();
            long end = System.nanoTime() + 5_000_000_000L;
            while (!inOtherNamespace(proc, ours)) {
                if (!p.isAlive() || System.nanoTime() > end) {
                    String err = new String(p.getErrorStream().readNBytes(4096)).strip();
                    throw new ImageException("unshare could not make a user namespace" + (err.isEmpty() ? "" : ": "
                            + err));
                }
                Thread.sleep(1);
            }
            // root writes any map for a child namespace itself (user_namespaces(7)); newuidmap would
            // insist on /etc/subuid
            sys.writeFile(proc.resolve("uid_map"), "0 " + hostUid + " " + uidCount + "\n");
            sys.writeFile(proc.resolve("gid_map"), "0 " + hostGid + " " + gidCount + "\n");
            return sys.openReadOnly(proc.resolve("ns/user"));
        } catch (IOException e) {
            throw new ImageException("read " + p.pid() + "'s id maps: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageException("interrupted while making a user namespace", e);
        } finally {
            p.destroyForcibly();
            try {
                p.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Whether unshare has made its namespace (before it execs sleep). */
    private static boolean inOtherNamespace(Path proc, String ours) {
        try {
            return !Files.readSymbolicLink(proc.resolve("ns/user")).toString().equals(ours);
        } catch (IOException e) {
            return false;
        }
    }
}
