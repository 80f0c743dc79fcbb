package dev.nido.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Works out a container's status from the kernel: is the init alive, waiting on its fifo, frozen. */
final class ContainerStatus {
    private ContainerStatus() {
    }

    static Status of(StateStore store, ContainerRecord r) {
        if (r.pid() <= 0) {
            return Status.CREATING;
        }
        if (!ProcStat.sameLiveProcess(r.pid(), r.pidStart())) {
            return Status.STOPPED;
        }
        if (Files.exists(store.dir(r.id()).resolve(StateStore.FIFO))) {
            return Status.CREATED;
        }
        return frozen(r) ? Status.PAUSED : Status.RUNNING;
    }

    private static boolean frozen(ContainerRecord r) {
        for (String d : r.cgroupDirs()) {
            Path v1 = Path.of(d, "freezer.state");
            Path v2 = Path.of(d, "cgroup.freeze");
            try {
                if (Files.exists(v1)) {
                    return Files.readString(v1).strip().equals("FROZEN");
                }
                if (Files.exists(v2) && Files.readString(v2).strip().equals("1")) {
                    return true;
                }
            } catch (IOException e) {
                return false;
            }
        }
        return false;
    }
}
