package dev.nido.runtime.plan;

import java.util.ArrayList;
import java.util.List;

/** mount(8) command lines for {@link PlanStep.Mount}. */
final class MountShell {
    private static final long MS_RDONLY = 1, MS_NOSUID = 2, MS_NODEV = 4, MS_NOEXEC = 8, MS_REMOUNT = 32,
            MS_NOATIME = 1024, MS_NODIRATIME = 2048, MS_BIND = 4096, MS_MOVE = 8192, MS_REC = 16384,
            MS_UNBINDABLE = 1 << 17, MS_PRIVATE = 1 << 18, MS_SLAVE = 1 << 19, MS_SHARED = 1 << 20,
            MS_RELATIME = 1 << 21, MS_STRICTATIME = 1 << 24;

    private MountShell() {
    }

    static String command(PlanStep.Mount m) {
        String target = m.displayTarget();
        long f = m.flags();
        String rec = (f & MS_REC) != 0 ? "r" : "";
        if ((f & MS_PRIVATE) != 0) return "mount --make-" + rec + "private " + target;
        if ((f & MS_SLAVE) != 0) return "mount --make-" + rec + "slave " + target;
        if ((f & MS_SHARED) != 0) return "mount --make-" + rec + "shared " + target;
        if ((f & MS_UNBINDABLE) != 0) return "mount --make-" + rec + "unbindable " + target;
        if ((f & MS_MOVE) != 0) return "mount --move " + Shell.quote(m.source()) + " " + target;
        List<String> opts = options(f, m.data());
        String o = opts.isEmpty() ? "" : " -o " + String.join(",", opts);
        if ((f & MS_BIND) != 0) {
            return "mount --" + rec + "bind" + o + " " + Shell.quote(m.source()) + " " + target;
        }
        String type = m.fstype().isEmpty() ? "" : " -t " + m.fstype();
        String src = m.source().isEmpty() ? m.fstype() : m.source();
        return "mount" + type + o + " " + Shell.quote(src) + " " + target;
    }

    private static List<String> options(long f, String data) {
        List<String> o = new ArrayList<>();
        if ((f & MS_REMOUNT) != 0) o.add("remount");
        if ((f & MS_RDONLY) != 0) o.add("ro");
        if ((f & MS_NOSUID) != 0) o.add("nosuid");
        if ((f & MS_NODEV) != 0) o.add("nodev");
        if ((f & MS_NOEXEC) != 0) o.add("noexec");
        if ((f & MS_NOATIME) != 0) o.add("noatime");
        if ((f & MS_NODIRATIME) != 0) o.add("nodiratime");
        if ((f & MS_RELATIME) != 0) o.add("relatime");
        if ((f & MS_STRICTATIME) != 0) o.add("strictatime");
        if (!data.isEmpty()) o.add(data);
        return o;
    }
}
