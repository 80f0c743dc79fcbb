package dev.nido.engine;

import dev.nido.oci.Json;
import dev.nido.oci.RuntimeSpec;
import dev.nido.oci.Seccomp;
import dev.nido.oci.SpecException;
import dev.nido.security.DefaultConfinement;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Docker's {@code --security-opt}: {@code seccomp=unconfined|PROFILE.json} and {@code no-new-privileges[:BOOL]}. */
final class SecurityOpts {
    private SecurityOpts() {
    }

    /** The spec with the seccomp filter asked for (the default one unless told otherwise). */
    static RuntimeSpec seccomp(RuntimeSpec spec, List<String> opts) {
        String choice = null;
        for (String o : opts) {
            check(o);
            if (o.startsWith("seccomp=") || o.startsWith("seccomp:")) {
                choice = o.substring("seccomp=".length());
            }
        }
        if (choice == null) {
            return DefaultConfinement.withDefaultSeccomp(spec);
        }
        if (choice.equals("unconfined")) {
            return spec.withLinux(spec.linux().withSeccomp(null));
        }
        Path f = Path.of(choice);
        try {
            Seccomp profile = Json.read(Files.readAllBytes(f), Seccomp.class, f.toString());
            return spec.withLinux(spec.linux().withSeccomp(profile));
        } catch (IOException e) {
            throw new EngineException("--security-opt seccomp=" + choice + ": cannot read " + f + " ("
                    + e.getMessage() + ")");
        } catch (SpecException e) {
            throw new EngineException("--security-opt seccomp=" + choice + ": " + e.getMessage());
        }
    }

    /** no_new_privs: on unless {@code no-new-privileges:false}. */
    static boolean noNewPrivileges(List<String> opts) {
        boolean nnp = true;
        for (String o : opts) {
            check(o);
            if (o.equals("no-new-privileges") || o.equals("no-new-privileges:true")
                    || o.equals("no-new-privileges=true")) {
                nnp = true;
            } else if (o.equals("no-new-privileges:false") || o.equals("no-new-privileges=false")) {
                nnp = false;
            }
        }
        return nnp;
    }

    private static void check(String o) {
        if (!(o.startsWith("seccomp=") || o.startsWith("seccomp:") || o.startsWith("no-new-privileges"))) {
            throw new EngineException("--security-opt " + o + ": expected seccomp=unconfined, seccomp=PROFILE.json or"
                    + " no-new-privileges[:true|false] (AppArmor/SELinux labels: this host has neither)");
        }
    }
}
