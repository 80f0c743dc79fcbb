package dev.nido.oci;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes {@code config.json}. What it returns has been validated and normalised: mount
 * destinations are absolute and clean ({@code "dev/shm"} becomes {@code "/dev/shm"}, as runc does),
 * and {@code process.user} is present with uid and gid set (absent ids are 0, as runc reads them).
 */
public final class SpecReader {
    /** The file name inside a bundle, also the source named in messages. */
    public static final String CONFIG = "config.json";

    private SpecReader() {
    }

    /** Reads, validates (including that the rootfs exists) and normalises {@code <bundle>/config.json}. */
    public static RuntimeSpec read(Path bundleDir) {
        Path bundle = bundleDir.toAbsolutePath().normalize();
        byte[] json;
        try {
            json = Files.readAllBytes(bundle.resolve(CONFIG));
        } catch (NoSuchFileException e) {
            throw new SpecException(CONFIG + ": not found in bundle " + bundle
                    + " (run 'nido-runtime spec' there to create one)");
        } catch (AccessDeniedException e) {
            throw new SpecException(CONFIG + ": cannot read " + bundle.resolve(CONFIG) + ": permission denied");
        } catch (IOException e) {
            throw new SpecException(CONFIG + ": cannot read " + bundle.resolve(CONFIG) + ": " + e.getMessage());
        }
        return checked(Json.read(json, RuntimeSpec.class, CONFIG), bundle, CONFIG);
    }

    /**
     * Parses, validates and normalises a spec held in memory; {@code name} is the source named in
     * messages. Without a bundle the rootfs is not looked for.
     */
    public static RuntimeSpec parse(byte[] json, String name) {
        return checked(Json.read(json, RuntimeSpec.class, name), null, name);
    }

    /** The spec as pretty JSON, fields in the spec's order, as {@code runc spec} writes it. */
    public static byte[] write(RuntimeSpec spec) {
        return Json.writePretty(spec);
    }

    private static RuntimeSpec checked(RuntimeSpec spec, Path bundle, String name) {
        List<String> problems = SpecValidator.validate(spec, bundle);
        if (!problems.isEmpty()) {
            throw SpecException.of(name, problems);
        }
        return normalize(spec);
    }

    /** Absolute clean mount destinations and a complete user; call on a valid spec only. */
    static RuntimeSpec normalize(RuntimeSpec spec) {
        List<Mount> mounts = normalizedMounts(spec.mounts());
        RuntimeSpec result = mounts == spec.mounts() ? spec : spec.withMounts(mounts);
        Process p = result.process();
        if (p != null && (p.user() == null || p.user().uid() == null || p.user().gid() == null)) {
            User u = p.user() == null ? User.of(0, 0) : p.user();
            User full = new User(u.uid() == null ? 0L : u.uid(), u.gid() == null ? 0L : u.gid(), u.umask(),
                    u.additionalGids(), u.username());
            result = result.withProcess(new Process(p.terminal(), p.consoleSize(), full, p.args(), p.commandLine(),
                    p.env(), p.cwd(), p.capabilities(), p.rlimits(), p.noNewPrivileges(), p.apparmorProfile(),
                    p.oomScoreAdj(), p.selinuxLabel(), p.ioPriority(), p.scheduler(), p.execCPUAffinity()));
        }
        return result;
    }

    /**
     * The mounts with clean destinations; the same list when all are clean already. Compared by
     * destination, not with {@code List.equals}: a record's first {@code equals} bootstraps
     * {@code ObjectMethods} at run time, ~20 ms that the AOT cache does not keep.
     */
    private static List<Mount> normalizedMounts(List<Mount> mounts) {
        List<Mount> result = new ArrayList<>(mounts.size());
        boolean changed = false;
        for (Mount m : mounts) {
            String clean = Mounts.normalizeDestination(m.destination()).orElseThrow();
            if (clean.equals(m.destination())) {
                result.add(m);
            } else {
                result.add(m.withDestination(clean));
                changed = true;
            }
        }
        return changed ? result : mounts;
    }
}
