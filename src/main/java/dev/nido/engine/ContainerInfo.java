package dev.nido.engine;

import java.util.List;

/** What the engine keeps about a named container ({@code containers/ID/container.json}). */
public record ContainerInfo(String id, String name, String image, String imageId, List<String> command,
                            String created, String status, Integer exitCode, String finished) {
    public ContainerInfo {
        command = command == null ? List.of() : List.copyOf(command);
    }

    public ContainerInfo exited(int code, String at) {
        return new ContainerInfo(id, name, image, imageId, command, created, "exited", code, at);
    }

    public ContainerInfo running() {
        return new ContainerInfo(id, name, image, imageId, command, created, "running", null, null);
    }
}
