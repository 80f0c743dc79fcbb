package dev.nido.oci;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code linux}: namespaces, id maps, cgroup resources, devices, seccomp, masked paths. */
public record Linux(
        List<IdMapping> uidMappings,
        List<IdMapping> gidMappings,
        Map<String, TimeOffset> timeOffsets,
        Map<String, String> sysctl,
        Resources resources,
        String cgroupsPath,
        List<Namespace> namespaces,
        List<Device> devices,
        Seccomp seccomp,
        String rootfsPropagation,
        List<String> maskedPaths,
        List<String> readonlyPaths,
        String mountLabel,
        IntelRdt intelRdt,
        Personality personality,
        Map<String, NetDevice> netDevices) {
    /** Its JSON, fields in the spec's (and runc's) order. */
    static final JsonCodec<Linux> JSON = new JsonCodec<>() {
        @Override
        Linux fromJson(JsonTree o) {
            return new Linux(
                    o.list("uidMappings", IdMapping.JSON),
                    o.list("gidMappings", IdMapping.JSON),
                    o.map("timeOffsets", TimeOffset.JSON),
                    o.stringMap("sysctl"),
                    o.object("resources", Resources.JSON),
                    o.string("cgroupsPath"),
                    o.list("namespaces", Namespace.JSON),
                    o.list("devices", Device.JSON),
                    o.object("seccomp", Seccomp.JSON),
                    o.string("rootfsPropagation"),
                    o.strings("maskedPaths"),
                    o.strings("readonlyPaths"),
                    o.string("mountLabel"),
                    o.object("intelRdt", IntelRdt.JSON),
                    o.object("personality", Personality.JSON),
                    o.map("netDevices", NetDevice.JSON));
        }

        @Override
        void toJson(JsonOut out, Linux r) {
            out.field("uidMappings", r.uidMappings())
                    .field("gidMappings", r.gidMappings())
                    .field("sysctl", r.sysctl())
                    .field("resources", r.resources())
                    .field("cgroupsPath", r.cgroupsPath())
                    .field("namespaces", r.namespaces())
                    .field("devices", r.devices())
                    .field("netDevices", r.netDevices())
                    .field("seccomp", r.seccomp())
                    .field("rootfsPropagation", r.rootfsPropagation())
                    .field("maskedPaths", r.maskedPaths())
                    .field("readonlyPaths", r.readonlyPaths())
                    .field("mountLabel", r.mountLabel())
                    .field("intelRdt", r.intelRdt())
                    .field("personality", r.personality())
                    .field("timeOffsets", r.timeOffsets());
        }
    };

    public Linux {
        uidMappings = Copies.list(uidMappings);
        gidMappings = Copies.list(gidMappings);
        timeOffsets = Copies.map(timeOffsets);
        sysctl = Copies.map(sysctl);
        namespaces = Copies.list(namespaces);
        devices = Copies.list(devices);
        maskedPaths = Copies.list(maskedPaths);
        readonlyPaths = Copies.list(readonlyPaths);
        netDevices = Copies.map(netDevices);
    }

    /** The first namespace entry of this JSON type ({@code "user"}, {@code "network"} ...). */
    public Optional<Namespace> namespace(String type) {
        return namespaces.stream().filter(n -> type.equals(n.type())).findFirst();
    }

    /** Whether a namespace of this type is listed (new, or joined by path). */
    public boolean hasNamespace(String type) {
        return namespace(type).isPresent();
    }

    public Linux withNamespaces(List<Namespace> newNamespaces) {
        return new Linux(uidMappings, gidMappings, timeOffsets, sysctl, resources, cgroupsPath, newNamespaces,
                devices, seccomp, rootfsPropagation, maskedPaths, readonlyPaths, mountLabel, intelRdt, personality,
                netDevices);
    }

    public Linux withIdMappings(List<IdMapping> newUidMappings, List<IdMapping> newGidMappings) {
        return new Linux(newUidMappings, newGidMappings, timeOffsets, sysctl, resources, cgroupsPath, namespaces,
                devices, seccomp, rootfsPropagation, maskedPaths, readonlyPaths, mountLabel, intelRdt, personality,
                netDevices);
    }

    public Linux withResources(Resources newResources) {
        return new Linux(uidMappings, gidMappings, timeOffsets, sysctl, newResources, cgroupsPath, namespaces,
                devices, seccomp, rootfsPropagation, maskedPaths, readonlyPaths, mountLabel, intelRdt, personality,
                netDevices);
    }

    public Linux withSeccomp(Seccomp newSeccomp) {
        return new Linux(uidMappings, gidMappings, timeOffsets, sysctl, resources, cgroupsPath, namespaces,
                devices, newSeccomp, rootfsPropagation, maskedPaths, readonlyPaths, mountLabel, intelRdt, personality,
                netDevices);
    }
}
