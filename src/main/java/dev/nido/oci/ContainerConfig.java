package dev.nido.oci;

import java.util.List;
import java.util.Map;

/**
 * image-spec {@code config} of an image: what a container made from it runs by default. The JSON
 * names are Go's ({@code User}, {@code Env}, {@code Entrypoint}, {@code Cmd} ...); {@code ExposedPorts}
 * and {@code Volumes} are sets written as objects with empty values.
 */
public record ContainerConfig(String user, Map<String, Object> exposedPorts, List<String> env,
                              List<String> entrypoint, List<String> cmd, Map<String, Object> volumes,
                              String workingDir, Map<String, String> labels, String stopSignal,
                              List<String> shell) {
    /** Its JSON (see {@link JsonCodec}). */
    static final JsonCodec<ContainerConfig> JSON = new JsonCodec<>() {
        @Override
        ContainerConfig fromJson(JsonTree o) {
            return new ContainerConfig(o.string("User"), o.map("ExposedPorts", JsonTree::asPlain), o.strings("Env"),
                    o.strings("Entrypoint"), o.strings("Cmd"), o.map("Volumes", JsonTree::asPlain),
                    o.string("WorkingDir"), o.stringMap("Labels"), o.string("StopSignal"), o.strings("Shell"));
        }

        @Override
        void toJson(JsonOut out, ContainerConfig r) {
            out.field("User", r.user()).field("ExposedPorts", r.exposedPorts()).field("Env", r.env())
                    .field("Entrypoint", r.entrypoint()).field("Cmd", r.cmd()).field("Volumes", r.volumes())
                    .field("WorkingDir", r.workingDir()).field("Labels", r.labels())
                    .field("StopSignal", r.stopSignal()).field("Shell", r.shell());
        }
    };

    public ContainerConfig {
        exposedPorts = Copies.map(exposedPorts);
        env = Copies.list(env);
        entrypoint = Copies.list(entrypoint);
        cmd = Copies.list(cmd);
        volumes = Copies.map(volumes);
        labels = Copies.map(labels);
        shell = Copies.list(shell);
    }

    public static ContainerConfig empty() {
        return new ContainerConfig(null, null, null, null, null, null, null, null, null, null);
    }
}
