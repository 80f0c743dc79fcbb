package dev.nido.linux;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Processes a test spawned: reaped by the test, or killed and reaped by {@link #killAll()}. */
final class Children {
    private final Syscalls sys;
    private final List<Integer> pids = new ArrayList<>();

    Children(Syscalls sys) {
        this.sys = sys;
    }

    int track(int pid) {
        pids.add(pid);
        return pid;
    }

    /** waitpid, and forget the pid. */
    int waitFor(int pid) {
        int status = sys.waitpid(pid);
        pids.remove(Integer.valueOf(pid));
        return status;
    }

    /** Kills (SIGKILL) and reaps every child the test did not reap itself. */
    void killAll() {
        for (int pid : List.copyOf(pids)) {
            try {
                sys.kill(pid, Signals.KILL);
            } catch (LinuxException e) {
                // already gone: still reap below
            }
            waitFor(pid);
        }
    }

    /** Reads {@code fd} to end of file. */
    static String readAll(Syscalls sys, Fd fd) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        int n;
        while ((n = sys.read(fd, buf, 0, buf.length)) > 0) {
            out.write(buf, 0, n);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
