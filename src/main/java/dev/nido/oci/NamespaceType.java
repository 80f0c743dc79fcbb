package dev.nido.oci;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The namespace types of {@code linux.namespaces}, with their clone(2) flags. */
public enum NamespaceType {
    /** CLONE_NEWNS */
    MOUNT("mount", 0x00020000),
    /** CLONE_NEWUTS */
    UTS("uts", 0x04000000),
    /** CLONE_NEWIPC */
    IPC("ipc", 0x08000000),
    /** CLONE_NEWPID */
    PID("pid", 0x20000000),
    /** CLONE_NEWNET */
    NETWORK("network", 0x40000000),
    /** CLONE_NEWUSER */
    USER("user", 0x10000000),
    /** CLONE_NEWCGROUP */
    CGROUP("cgroup", 0x02000000),
    /** CLONE_NEWTIME */
    TIME("time", 0x00000080);

    private final String jsonName;
    private final int cloneFlag;

    NamespaceType(String jsonName, int cloneFlag) {
        this.jsonName = jsonName;
        this.cloneFlag = cloneFlag;
    }

    /** The spec's name: {@code "network"}, {@code "mount"} ... */
    public String jsonName() {
        return jsonName;
    }

    /** The CLONE_NEW* flag for clone(2), unshare(2) and setns(2). */
    public int cloneFlag() {
        return cloneFlag;
    }

    /** The type with this spec name, if there is one. */
    public static Optional<NamespaceType> byName(String name) {
        return Arrays.stream(values()).filter(t -> t.jsonName.equals(name)).findFirst();
    }

    /** All spec names, in this enum's order. */
    public static List<String> names() {
        return Arrays.stream(values()).map(NamespaceType::jsonName).toList();
    }
}
