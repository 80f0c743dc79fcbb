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

    /** Written as a map, for the same reason as {@link #fromJson}. */
    java.util.Map<String, Object> toJson() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("id", id);
        m.put("name", name);
        m.put("image", image);
        m.put("imageId", imageId);
        m.put("command", command);
        m.put("created", created);
        m.put("status", status);
        m.put("exitCode", exitCode);
        m.put("finished", finished);
        m.put("host", host.toJson());
        m.put("started", started);
        m.put("restartCount", restartCount);
        m.put("stoppedByUser", stoppedByUser);
        m.values().removeIf(java.util.Objects::isNull);
        return m;
    }

    /** Read through a map: a record read by reflection costs ~30 ms in a fresh JVM. */
    static ContainerInfo fromJson(byte[] json, String source) {
        dev.nido.oci.JsonMap m = dev.nido.oci.JsonMap.parse(json, source);
        dev.nido.oci.JsonMap h = m.object("host");
        return new ContainerInfo(m.string("id"), m.string("name"), m.string("image"), m.string("imageId"),
                m.strings("command"), m.string("created"), m.string("status"), m.integer("exitCode"),
                m.string("finished"), h == null ? null : HostConfig.fromJson(h), m.string("started"),
                (int) m.number("restartCount", 0), m.bool("stoppedByUser"));
    }
}
