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
 * @param extra       the flags of detached and system containers
 */
public record RunOptions(String name, List<String> command, String entrypoint, List<String> env, String workdir,
                         String user, String hostname, List<String> volumes, List<String> tmpfs, boolean readOnly,
                         boolean tty, String network, Long memory, Long pidsLimit, Double cpus, Long cpuShares,
                         String cpusetCpus, List<String> capAdd, List<String> capDrop, boolean privileged,
                         boolean remove, Map<String, String> labels, Extra extra) {
    public RunOptions {
        command = List.copyOf(command);
        env = List.copyOf(env);
        volumes = List.copyOf(volumes);
        tmpfs = List.copyOf(tmpfs);
        capAdd = List.copyOf(capAdd);
        capDrop = List.copyOf(capDrop);
        labels = Map.copyOf(labels);
        extra = extra == null ? Extra.NONE : extra;
    }

    /**
     * @param interactive   -i: stdin kept open
     * @param memorySwap    --memory-swap (memory + swap) in bytes, -1 unlimited, or null
     * @param securityOpts  --security-opt seccomp=unconfined|FILE, no-new-privileges[:true|false]
     * @param init          --init: a tiny init (tini) as PID 1 that reaps and forwards signals
     * @param system        --system: the image's /sbin/init as PID 1 with a terminal (a system container)
     * @param restart       --restart
     * @param stopSignal    --stop-signal (null: the image's or TERM)
     * @param stopTimeout   --stop-timeout seconds (null: 10)
     * @param logMaxSize    --log-opt max-size (null: 10 MiB)
     * @param logMaxFiles   --log-opt max-file (null: 3)
     * @param userns        --userns: host (null) or auto[:size=N]
     */
    public record Extra(boolean interactive, Long memorySwap, List<String> securityOpts, boolean init, boolean system,
                        RestartPolicy restart, String stopSignal, Integer stopTimeout, Long logMaxSize,
                        Integer logMaxFiles, String userns) {
        public static final Extra NONE = new Extra(false, null, List.of(), false, false, RestartPolicy.NO, null, null,
                null, null, null);

        public Extra {
            securityOpts = List.copyOf(securityOpts);
            restart = restart == null ? RestartPolicy.NO : restart;
        }
    }
}
