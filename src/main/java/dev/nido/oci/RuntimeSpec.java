package dev.nido.oci;

import java.util.List;
import java.util.Map;

/**
 * The container's {@code config.json} (OCI runtime-spec v1.2): the single source of truth between
 * the engine and the runtime. Absent lists and maps are empty, never null; other absent fields are
 * null. Only the Linux platform is modelled; other platforms' sections are ignored when read.
 */
public record RuntimeSpec(
        String ociVersion,
        Process process,
        Root root,
        String hostname,
        String domainname,
        List<Mount> mounts,
        Hooks hooks,
        Map<String, String> annotations,
        Linux linux) {
    /** Its JSON (see {@link JsonCodec}). */
    static final JsonCodec<RuntimeSpec> JSON = new JsonCodec<>() {
        @Override
        RuntimeSpec fromJson(JsonTree o) {
            return new RuntimeSpec(
                    o.string("ociVersion"),
                    o.object("process", Process.JSON),
                    o.object("root", Root.JSON),
                    o.string("hostname"),
                    o.string("domainname"),
                    o.list("mounts", Mount.JSON),
                    o.object("hooks", Hooks.JSON),
                    o.stringMap("annotations"),
                    o.object("linux", Linux.JSON));
        }

        @Override
        void toJson(JsonOut out, RuntimeSpec r) {
            out.field("ociVersion", r.ociVersion())
                    .field("process", r.process())
                    .field("root", r.root())
                    .field("hostname", r.hostname())
                    .field("domainname", r.domainname())
                    .field("mounts", r.mounts())
                    .field("hooks", r.hooks())
                    .field("annotations", r.annotations())
                    .field("linux", r.linux());
        }
    };

    public RuntimeSpec {
        mounts = Copies.list(mounts);
        annotations = Copies.map(annotations);
    }

    public RuntimeSpec withProcess(Process newProcess) {
        return new RuntimeSpec(ociVersion, newProcess, root, hostname, domainname, mounts, hooks, annotations, linux);
    }

    public RuntimeSpec withRoot(Root newRoot) {
        return new RuntimeSpec(ociVersion, process, newRoot, hostname, domainname, mounts, hooks, annotations, linux);
    }

    public RuntimeSpec withHostname(String newHostname) {
        return new RuntimeSpec(ociVersion, process, root, newHostname, domainname, mounts, hooks, annotations, linux);
    }

    public RuntimeSpec withMounts(List<Mount> newMounts) {
        return new RuntimeSpec(ociVersion, process, root, hostname, domainname, newMounts, hooks, annotations, linux);
    }

    public RuntimeSpec withHooks(Hooks newHooks) {
        return new RuntimeSpec(ociVersion, process, root, hostname, domainname, mounts, newHooks, annotations, linux);
    }

    public RuntimeSpec withAnnotations(Map<String, String> newAnnotations) {
        return new RuntimeSpec(ociVersion, process, root, hostname, domainname, mounts, hooks, newAnnotations, linux);
    }

    public RuntimeSpec withLinux(Linux newLinux) {
        return new RuntimeSpec(ociVersion, process, root, hostname, domainname, mounts, hooks, annotations, newLinux);
    }
}
