package dev.nido.runtime;

import java.util.List;
import java.util.Map;

/**
 * What nido-runtime keeps about one container in {@code <root>/<id>/state.json}.
 *
 * @param pidStart      field 22 of /proc/PID/stat when the init was started, so a recycled pid
 *                      is never mistaken for the container
 * @param cgroupDirs    the container's cgroup directory in each hierarchy
 * @param cgroupCreated the directories nido created (and so may remove), deepest last
 */
public record ContainerRecord(String id, String bundle, String rootfs, int pid, long pidStart, String created,
                              String owner, Map<String, String> annotations, String cgroupPath,
                              List<String> cgroupDirs, List<String> cgroupCreated) {
    public ContainerRecord {
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        cgroupDirs = cgroupDirs == null ? List.of() : List.copyOf(cgroupDirs);
        cgroupCreated = cgroupCreated == null ? List.of() : List.copyOf(cgroupCreated);
    }

    ContainerRecord withPid(int newPid, long start) {
        return new ContainerRecord(id, bundle, rootfs, newPid, start, created, owner, annotations, cgroupPath,
                cgroupDirs, cgroupCreated);
    }
}
