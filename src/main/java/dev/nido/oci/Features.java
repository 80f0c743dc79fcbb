package dev.nido.oci;

import java.util.List;
import java.util.Map;

/**
 * What {@code nido-runtime features} prints (runtime-spec features.md): what nido recognises, not
 * what this host supports. A null field means unknown.
 */
public record Features(
        String ociVersionMin,
        String ociVersionMax,
        List<String> hooks,
        List<String> mountOptions,
        LinuxFeatures linux,
        Map<String, String> annotations) {
    /** Its JSON (see {@link JsonCodec}). */
    static final JsonCodec<Features> JSON = new JsonCodec<>() {
        @Override
        Features fromJson(JsonTree o) {
            return new Features(
                    o.string("ociVersionMin"),
                    o.string("ociVersionMax"),
                    o.strings("hooks"),
                    o.strings("mountOptions"),
                    o.object("linux", LinuxFeatures.JSON),
                    o.stringMap("annotations"));
        }

        @Override
        void toJson(JsonOut out, Features r) {
            out.field("ociVersionMin", r.ociVersionMin())
                    .field("ociVersionMax", r.ociVersionMax())
                    .field("hooks", r.hooks())
                    .field("mountOptions", r.mountOptions())
                    .field("linux", r.linux())
                    .field("annotations", r.annotations());
        }
    };

    /** The annotation naming nido's version. */
    public static final String VERSION_ANNOTATION = "io.github.nido.version";

    /** {@code linux} of the features document. */
    public record LinuxFeatures(
            List<String> namespaces,
            List<String> capabilities,
            CgroupFeatures cgroup,
            SeccompFeatures seccomp,
            Enabled apparmor,
            Enabled selinux,
            MountExtensions mountExtensions) {
        /** Its JSON (see {@link JsonCodec}). */
        static final JsonCodec<LinuxFeatures> JSON = new JsonCodec<>() {
            @Override
            LinuxFeatures fromJson(JsonTree o) {
                return new LinuxFeatures(
                        o.strings("namespaces"),
                        o.strings("capabilities"),
                        o.object("cgroup", CgroupFeatures.JSON),
                        o.object("seccomp", SeccompFeatures.JSON),
                        o.object("apparmor", Enabled.JSON),
                        o.object("selinux", Enabled.JSON),
                        o.object("mountExtensions", MountExtensions.JSON));
            }

            @Override
            void toJson(JsonOut out, LinuxFeatures r) {
                out.field("namespaces", r.namespaces())
                        .field("capabilities", r.capabilities())
                        .field("cgroup", r.cgroup())
                        .field("seccomp", r.seccomp())
                        .field("apparmor", r.apparmor())
                        .field("selinux", r.selinux())
                        .field("mountExtensions", r.mountExtensions());
            }
        };
    }

    /** {@code linux.mountExtensions}: id-mapped mounts ({@code mounts[].uidMappings}, idmap/ridmap). */
    public record MountExtensions(Enabled idmap) {
        /** Its JSON (see {@link JsonCodec}). */
        static final JsonCodec<MountExtensions> JSON = new JsonCodec<>() {
            @Override
            MountExtensions fromJson(JsonTree o) {
                return new MountExtensions(o.object("idmap", Enabled.JSON));
            }

            @Override
            void toJson(JsonOut out, MountExtensions r) {
                out.field("idmap", r.idmap());
            }
        };
    }

    /** Which cgroup drivers nido has. */
    public record CgroupFeatures(Boolean v1, Boolean v2, Boolean systemd, Boolean systemdUser, Boolean rdma) {
        /** Its JSON (see {@link JsonCodec}). */
        static final JsonCodec<CgroupFeatures> JSON = new JsonCodec<>() {
            @Override
            CgroupFeatures fromJson(JsonTree o) {
                return new CgroupFeatures(
                        o.bool("v1"),
                        o.bool("v2"),
                        o.bool("systemd"),
                        o.bool("systemdUser"),
                        o.bool("rdma"));
            }

            @Override
            void toJson(JsonOut out, CgroupFeatures r) {
                out.field("v1", r.v1())
                        .field("v2", r.v2())
                        .field("systemd", r.systemd())
                        .field("systemdUser", r.systemdUser())
                        .field("rdma", r.rdma());
            }
        };
    }

    /** The seccomp names nido recognises. */
    public record SeccompFeatures(
            Boolean enabled,
            List<String> actions,
            List<String> operators,
            List<String> archs,
            List<String> knownFlags,
            List<String> supportedFlags) {
        /** Its JSON (see {@link JsonCodec}). */
        static final JsonCodec<SeccompFeatures> JSON = new JsonCodec<>() {
            @Override
            SeccompFeatures fromJson(JsonTree o) {
                return new SeccompFeatures(
                        o.bool("enabled"),
                        o.strings("actions"),
                        o.strings("operators"),
                        o.strings("archs"),
                        o.strings("knownFlags"),
                        o.strings("supportedFlags"));
            }

            @Override
            void toJson(JsonOut out, SeccompFeatures r) {
                out.field("enabled", r.enabled())
                        .field("actions", r.actions())
                        .field("operators", r.operators())
                        .field("archs", r.archs())
                        .field("knownFlags", r.knownFlags())
                        .field("supportedFlags", r.supportedFlags());
            }
        };
    }

    /** A feature that is either compiled in or not. */
    public record Enabled(Boolean enabled) {
        /** Its JSON (see {@link JsonCodec}). */
        static final JsonCodec<Enabled> JSON = new JsonCodec<>() {
            @Override
            Enabled fromJson(JsonTree o) {
                return new Enabled(o.bool("enabled"));
            }

            @Override
            void toJson(JsonOut out, Enabled r) {
                out.field("enabled", r.enabled());
            }
        };
    }

    /** nido's features; the version annotation is present when the jar's manifest names a version. */
    public static Features current() {
        LinuxFeatures linux = new LinuxFeatures(
                NamespaceType.names(),
                Capability.names(),
                new CgroupFeatures(true, true, false, false, false),
                new SeccompFeatures(true, SeccompRules.ACTIONS, SeccompRules.OPERATORS,
                        List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32", "SCMP_ARCH_AARCH64"),
                        SeccompRules.FLAGS, SeccompRules.FLAGS),
                // labels are applied where the host runs the LSM and refused clearly where it does not
                new Enabled(true),
                new Enabled(true),
                new MountExtensions(new Enabled(true)));
        String version = Features.class.getPackage().getImplementationVersion();
        Map<String, String> annotations = version == null ? null : Map.of(VERSION_ANNOTATION, version);
        return new Features("1.0.0", DefaultSpec.OCI_VERSION, Hooks.NAMES, Mounts.knownOptions(), linux, annotations);
    }
}
