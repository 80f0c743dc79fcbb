package dev.nido.oci;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code linux}: namespaces, id maps, cgroup resources, devices, seccomp, masked paths. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"uidMappings", "gidMappings", "sysctl", "resources", "cgroupsPath", "namespaces", "devices",
    "netDevices", "seccomp", "rootfsPropagation", "maskedPaths", "readonlyPaths", "mountLabel", "intelRdt",
    "personality", "timeOffsets"})
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
