package dev.nido.engine;

import dev.nido.oci.Mount;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code -v SOURCE:DEST[:OPTIONS]} and {@code --tmpfs DEST[:OPTIONS]} as OCI mounts. */
final class Volumes {
    private static final List<String> PROPAGATION = List.of("rprivate", "private", "rshared", "shared", "rslave",
            "slave");

    private Volumes() {
    }

    static Mount bind(String flag) {
        String[] f = flag.split(":", 3);
        if (f.length < 2 || f[0].isEmpty() || f[1].isEmpty()) {
            throw new EngineException("-v " + flag + ": expected /HOST/PATH:/CONTAINER/PATH[:ro|rw][,PROPAGATION]"
                    + " (named volumes are not supported yet)");
        }
        Path src = Path.of(f[0]);
        if (!src.isAbsolute()) {
            throw new EngineException("-v " + flag + ": the host path must be absolute");
        }
        if (!Files.exists(src)) {
            throw new EngineException("-v " + flag + ": " + src + " does not exist on this host (create it first)");
        }
        if (!f[1].startsWith("/")) {
            throw new EngineException("-v " + flag + ": the container path must be absolute");
        }
        List<String> opts = new ArrayList<>(List.of("rbind"));
        if (f.length == 3) {
            for (String o : f[2].split(",")) {
                if (o.equals("ro") || o.equals("rw") || o.equals("idmap") || PROPAGATION.contains(o)) {
                    opts.add(o);
                } else if (!o.isEmpty() && !o.equals("z") && !o.equals("Z")) {
                    throw new EngineException("-v " + flag + ": unknown option \"" + o + "\" (ro, rw, idmap, " 
                            + String.join(", ", PROPAGATION) + ")");
                }
            }
        }
        return Mount.of(f[1], "bind", src.toString(), opts);
    }

    static Mount tmpfs(String flag) {
        String[] f = flag.split(":", 2);
        if (!f[0].startsWith("/")) {
            throw new EngineException("--tmpfs " + flag + ": expected /CONTAINER/PATH[:OPTIONS]");
        }
        List<String> opts = new ArrayList<>(List.of("nosuid", "nodev"));
        if (f.length == 2) {
            opts.addAll(List.of(f[1].split(",")));
        }
        return Mount.of(f[0], "tmpfs", "tmpfs", opts);
    }
}
