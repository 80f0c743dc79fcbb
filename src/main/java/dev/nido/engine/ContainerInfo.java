package dev.nido.engine;

import java.util.List;

/**
 * What the engine keeps about a named container ({@code containers/ID/container.json}).
 *
 * @param status        what the last command that changed it recorded: created, running, exited
 *                      ({@link LiveState} tells what is true now)
 * @param started       when it last started
 * @param restartCount  restarts made by its restart policy since the user last started it
 * @param stoppedByUser nido stop/kill/rm ended it: the restart policy does not apply
 */
public record ContainerInfo(String id, String name, String image, String imageId, List<String> command,
                            String created, String status, Integer exitCode, String finished, HostConfig host,
                            String started, int restartCount, boolean stoppedByUser) {
    public ContainerInfo {
        command = command == null ? List.of() : List.copyOf(command);
        host = host == null ? HostConfig.defaults() : host;
    }

    public ContainerInfo exited(int code, String at) {
        return new ContainerInfo(id, name, image, imageId, command, created, "exited", code, at, host, started,
                restartCount, stoppedByUser);
    }

    /** Started by the user (the restart count starts again) or by its restart policy. */
    public ContainerInfo running(String at, boolean byPolicy) {
        return new ContainerInfo(id, name, image, imageId, command, created, "running", null, null, host, at,
                byPolicy ? restartCount + 1 : 0, false);
    }

    public ContainerInfo markedStopped() {
        return new ContainerInfo(id, name, image, imageId, command, created, status, exitCode, finished, host, started,
                restartCount, true);
    }

    public ContainerInfo named(String newName) {
        return new ContainerInfo(id, newName, image, imageId, command, created, status, exitCode, finished, host,
                started, restartCount, stoppedByUser);
    }

    public String shortId() {
        return id.substring(0, 12);
    }
}
