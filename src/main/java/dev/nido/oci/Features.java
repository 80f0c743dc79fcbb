package dev.nido.oci;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * What {@code nido-runtime features} prints (runtime-spec features.md): what nido recognises, not
 * what this host supports. A null field means unknown.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"ociVersionMin", "ociVersionMax", "hooks", "mountOptions", "linux", "annotations"})
public record Features(
        String ociVersionMin,
        String ociVersionMax,
        List<String> hooks,
        List<String> mountOptions,
        LinuxFeatures linux,
        Map<String, String> annotations) {

    /** The annotation naming nido's version. */
    public static final String VERSION_ANNOTATION = "io.github.nido.version";

    /** {@code linux} of the features document. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({"namespaces", "capabilities", "cgroup", "seccomp", "apparmor", "selinux"})
    public record LinuxFeatures(
            List<String> namespaces,
            List<String> capabilities,
            CgroupFeatures cgroup,
            SeccompFeatures seccomp,
            Enabled apparmor,
            Enabled selinux) {
    }

    /** Which cgroup drivers nido has. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({"v1", "v2", "systemd", "systemdUser", "rdma"})
    public record CgroupFeatures(Boolean v1, Boolean v2, Boolean systemd, Boolean systemdUser, Boolean rdma) {
    }

    /** The seccomp names nido recognises. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({"enabled", "actions", "operators", "archs", "knownFlags", "supportedFlags"})
    public record SeccompFeatures(
            Boolean enabled,
            List<String> actions,
            List<String> operators,
            List<String> archs,
            List<String> knownFlags,
            List<String> supportedFlags) {
    }

    /** A feature that is either compiled in or not. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Enabled(Boolean enabled) {
    }

    /** nido's features; the version annotation is present when the jar's manifest names a version. */
    public static Features current() {
        LinuxFeatures linux = new LinuxFeatures(
                NamespaceType.names(),
                Capability.names(),
                new CgroupFeatures(true, true, false, false, false),
                new SeccompFeatures(true, SeccompRules.ACTIONS, SeccompRules.OPERATORS,
                        List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32", "SCMP_ARCH_AARCH64"),
                        SeccompRules.FLAGS, null),
                new Enabled(false),
                new Enabled(false));
        String version = Features.class.getPackage().getImplementationVersion();
        Map<String, String> annotations = version == null ? null : Map.of(VERSION_ANNOTATION, version);
        return new Features("1.0.0", DefaultSpec.OCI_VERSION, Hooks.NAMES, Mounts.knownOptions(), linux, annotations);
    }
}
