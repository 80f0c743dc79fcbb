package dev.nido.engine;

import java.util.List;
import java.util.Map;

/**
 * What {@code nido run} was asked for beyond the image.
 *
 * @param command     the command after the image name (empty: the image's CMD)
 * @param entrypoint  --entrypoint, or null for the image's
 * @param volumes     -v SOURCE:DEST[:ro|rw][,propagation]
 * @param network     none (a namespace with only loopback) or host
 * @param memory      --memory in bytes, or null
 * @param pidsLimit   --pids-limit, or null
 * @param cpus        --cpus as a fraction of one CPU, or null
 */
public record RunOptions(String name, List<String> command, String entrypoint, List<String> env, String workdir,
                         String user, String hostname, List<String> volumes, List<String> tmpfs, boolean readOnly,
                         boolean tty, String network, Long memory, Long pidsLimit, Double cpus, Long cpuShares,
                         String cpusetCpus, List<String> capAdd, List<String> capDrop, boolean privileged,
                         boolean remove, Map<String, String> labels) {
    public RunOptions {
        command = List.copyOf(command);
        env = List.copyOf(env);
        volumes = List.copyOf(volumes);
        tmpfs = List.copyOf(tmpfs);
        capAdd = List.copyOf(capAdd);
        capDrop = List.copyOf(capDrop);
        labels = Map.copyOf(labels);
    }
}
