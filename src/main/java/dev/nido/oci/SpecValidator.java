package dev.nido.oci;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks a {@link RuntimeSpec} against the runtime-spec and what nido (like runc) requires, and
 * returns every violation at once, each {@code <json path>: <problem>}, e.g.
 * {@code process.args: must not be empty}. Callers prefix the source ({@link SpecException#of}).
 */
public final class SpecValidator {
    private static final Pattern VERSION_1 = Pattern.compile("1([.+-].*)?");

    private SpecValidator() {
    }

    /**
     * All violations of {@code spec}; empty when it is valid. With a {@code bundleDir} the rootfs
     * directory is also checked (the one filesystem look the spec layer takes); with {@code null}
     * it is not.
     */
    public static List<String> validate(RuntimeSpec spec, Path bundleDir) {
        Violations v = new Violations();
        version(spec.ociVersion(), v);
        root(spec.root(), bundleDir, v);
        if (spec.process() == null) {
            v.add("process", "must be set (the runtime-spec makes it optional, but nido needs it to create a container)");
        } else {
            ProcessRules.check(spec.process(), "process", v);
        }
        MountRules.check(spec.mounts(), v);
        if (spec.hooks() != null) {
            hooks(spec.hooks(), v);
        }
        Linux linux = spec.linux();
        if (linux != null) {
            LinuxRules.check(linux, v);
        }
        boolean uts = linux != null && linux.hasNamespace("uts");
        if (spec.hostname() != null && !spec.hostname().isEmpty() && !uts) {
            v.add("hostname", "unable to set hostname without a private UTS namespace");
        }
        if (spec.domainname() != null && !spec.domainname().isEmpty() && !uts) {
            v.add("domainname", "unable to set domainname without a private UTS namespace");
        }
        return v.lines();
    }

    /**
     * All violations of a process on its own, as {@code exec --process} reads one; paths start
     * with {@code path} ({@code ""} for a file that holds only the process).
     */
    public static List<String> validateProcess(Process process, String path) {
        Violations v = new Violations();
        ProcessRules.check(process, path, v);
        return v.lines();
    }

    private static void version(String version, Violations v) {
        if (v.required("ociVersion", version) && !VERSION_1.matcher(version).matches()) {
            v.add("ociVersion", "unsupported version " + JsonPath.quote(version) + " (nido reads runtime-spec 1.x)");
        }
    }

    private static void root(Root root, Path bundleDir, Violations v) {
        if (root == null) {
            v.add("root", "must be set");
            return;
        }
        if (!v.required("root.path", root.path()) || bundleDir == null) {
            return;
        }
        Path rootfs = bundleDir.toAbsolutePath().resolve(root.path()).normalize();
        if (!Files.exists(rootfs)) {
            v.add("root.path", "rootfs directory " + rootfs + " does not exist");
        } else if (!Files.isDirectory(rootfs)) {
            v.add("root.path", rootfs + " is not a directory");
        }
    }

    private static void hooks(Hooks hooks, Violations v) {
        for (String name : Hooks.NAMES) {
            List<Hook> list = hooks.at(name);
            for (int i = 0; i < list.size(); i++) {
                Hook hook = list.get(i);
                String at = JsonPath.index(JsonPath.field("hooks", name), i);
                String path = JsonPath.field(at, "path");
                if (v.required(path, hook.path())) {
                    v.absolute(path, hook.path());
                }
                v.environment(JsonPath.field(at, "env"), hook.env());
                if (hook.timeout() != null && hook.timeout() <= 0) {
                    v.add(JsonPath.field(at, "timeout"), "must be greater than 0, got " + hook.timeout());
                }
            }
        }
    }
}
