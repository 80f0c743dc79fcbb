package dev.nido.runtime.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The eight Linux namespace types, with their clone(2) flag and the names tools use for them. */
public enum Namespace {
    // Order matters: it is the order in which namespaces are joined (user first, mount last).
    USER("user", "user", 0x10000000L, "user"),       // CLONE_NEWUSER
    IPC("ipc", "ipc", 0x08000000L, "ipc"),           // CLONE_NEWIPC
    UTS("uts", "uts", 0x04000000L, "uts"),           // CLONE_NEWUTS
    NETWORK("network", "net", 0x40000000L, "net"),   // CLONE_NEWNET
    PID("pid", "pid", 0x20000000L, "pid"),           // CLONE_NEWPID
    CGROUP("cgroup", "cgroup", 0x02000000L, "cgroup"), // CLONE_NEWCGROUP
    TIME("time", "time", 0x00000080L, "time"),       // CLONE_NEWTIME
    MOUNT("mount", "mnt", 0x00020000L, "mount");     // CLONE_NEWNS

    private final String specName;
    private final String procName;
    private final long cloneFlag;
    private final String nsenterFlag;

    Namespace(String specName, String procName, long cloneFlag, String nsenterFlag) {
        this.specName = specName;
        this.procName = procName;
        this.cloneFlag = cloneFlag;
        this.nsenterFlag = nsenterFlag;
    }

    /** The runtime-spec name: "network", "mount", ... */
    public String specName() {
        return specName;
    }

    /** The name under /proc/PID/ns/: "net", "mnt", ... */
    public String procName() {
        return procName;
    }

    public long cloneFlag() {
        return cloneFlag;
    }

    public String nsenterFlag() {
        return nsenterFlag;
    }

    /** The namespace for a runtime-spec type name, or null. */
    public static Namespace fromSpec(String type) {
        for (Namespace n : values()) {
            if (n.specName.equals(type)) {
                return n;
            }
        }
        return null;
    }

    /** "--mount --uts --pid" for a set of clone flags. */
    public static String unshareFlags(long flags) {
        List<String> out = new ArrayList<>();
        for (Namespace n : values()) {
            if ((flags & n.cloneFlag) != 0) {
                out.add("--" + n.nsenterFlag);
            }
        }
        return String.join(" ", out);
    }

    @Override
    public String toString() {
        return specName.toLowerCase(Locale.ROOT);
    }
}
