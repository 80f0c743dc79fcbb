package dev.nido.oci;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * The container's {@code config.json} (OCI runtime-spec v1.2): the single source of truth between
 * the engine and the runtime. Absent lists and maps are empty, never null; other absent fields are
 * null. Only the Linux platform is modelled; other platforms' sections are ignored when read.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"ociVersion", "process", "root", "hostname", "domainname", "mounts", "hooks", "annotations", "linux"})
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
