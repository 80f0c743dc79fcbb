package dev.nido.runtime.plan;

import java.util.List;

/**
 * One operation of a launch plan, executed in order by the C helper (docs/plan-format.md).
 * Every step can say what it does as a shell command ({@link #toShell()}, for
 * {@code --explain}) and as a short phrase for error messages ({@link #describe()}).
 */
public sealed interface PlanStep {

    /** Opcode in the plan format. */
    int opcode();

    /** The equivalent shell command, for --explain. */
    String toShell();

    /** A phrase naming what the step does to what, used in errors: "mount proc on /proc". */
    String describe();

    /** The host or in-root path the step acts on, if any. */
    default String path() {
        return "";
    }

    /** 1 detach, 2 monitor. */
    record Mode(int mode) implements PlanStep {
        public static final int DETACH = 1;
        public static final int MONITOR = 2;
        public int opcode() { return 1; }
        public String toShell() { return "# helper " + (mode == DETACH ? "detaches after start" : "stays as monitor"); }
        public String describe() { return "set helper mode"; }
    }

    record JoinNamespace(Namespace ns, String path) implements PlanStep {
        public int opcode() { return 2; }
        public String toShell() { return "nsenter --" + ns.nsenterFlag() + "=" + Shell.quote(path); }
        public String describe() { return "join " + ns.specName() + " namespace " + path; }
    }

    record Unshare(long flags) implements PlanStep {
        public int opcode() { return 3; }
        public String toShell() { return "unshare " + Namespace.unshareFlags(flags); }
        public String describe() { return "unshare " + Namespace.unshareFlags(flags); }
    }

    record WriteFile(String path, String content, boolean inChild) implements PlanStep {
        public int opcode() { return inChild ? 21 : 4; }
        public String toShell() { return "echo " + Shell.quote(content) + " > " + Shell.quote(path); }
        public String describe() { return "write " + path; }
    }

    record Clone(long flags) implements PlanStep {
        public int opcode() { return 5; }
        public String toShell() {
            return flags == 0 ? "# fork" : "unshare --fork " + Namespace.unshareFlags(flags);
        }
        public String describe() { return "clone the container process"; }
    }

    record ConsoleRelay() implements PlanStep {
        public int opcode() { return 6; }
        public String toShell() { return "# relay the terminal to a new pty"; }
        public String describe() { return "relay the terminal"; }
    }

    record WaitGo() implements PlanStep {
        public int opcode() { return 10; }
        public String toShell() { return "# wait for the runtime: cgroups, id maps, hooks"; }
        public String describe() { return "wait for the runtime"; }
    }

    record SetHostname(String name) implements PlanStep {
        public int opcode() { return 11; }
        public String toShell() { return "hostname " + Shell.quote(name); }
        public String describe() { return "set hostname " + name; }
    }

    record SetDomainname(String name) implements PlanStep {
        public int opcode() { return 12; }
        public String toShell() { return "domainname " + Shell.quote(name); }
        public String describe() { return "set domainname " + name; }
    }

    record Rootfs(String path) implements PlanStep {
        public int opcode() { return 13; }
        public String toShell() { return "ROOTFS=" + Shell.quote(path); }
        public String describe() { return "open rootfs " + path; }
    }

    record Mount(String source, String target, String fstype, long flags, String data, int targetFlags)
            implements PlanStep {
        public static final int IN_ROOT = 1;
        public static final int MKDIR = 2;
        public static final int MKFILE = 4;
        public int opcode() { return 14; }
        public String path() { return target; }
        public String toShell() { return MountShell.command(this); }
        public String describe() {
            String what = fstype.isEmpty() ? (source.isEmpty() ? "" : source + " ") : fstype + " ";
            return "mount " + what + "on " + displayTarget();
        }
        public String displayTarget() {
            return (targetFlags & IN_ROOT) != 0 ? "$ROOTFS" + (target.startsWith("/") ? "" : "/") + target : target;
        }
    }

    record Mknod(String path, int mode, long dev, int uid, int gid) implements PlanStep {
        public int opcode() { return 15; }
        public String toShell() {
            char kind = (mode & 0170000) == 0060000 ? 'b' : 'c';
            return "mknod -m " + Integer.toOctalString(mode & 07777) + " $ROOTFS" + path + " " + kind + " "
                    + Devices.major(dev) + " " + Devices.minor(dev)
                    + (uid != 0 || gid != 0 ? " && chown " + uid + ":" + gid + " $ROOTFS" + path : "");
        }
        public String describe() { return "create device " + path; }
    }

    record Symlink(String target, String linkPath) implements PlanStep {
        public int opcode() { return 16; }
        public String path() { return linkPath; }
        public String toShell() { return "ln -s " + Shell.quote(target) + " $ROOTFS" + linkPath; }
        public String describe() { return "create symlink " + linkPath; }
    }

    record PivotRoot() implements PlanStep {
        public int opcode() { return 17; }
        public String toShell() { return "cd $ROOTFS && pivot_root . . && umount -l ."; }
        public String describe() { return "pivot_root into the rootfs"; }
    }

    record Chroot() implements PlanStep {
        public int opcode() { return 18; }
        public String toShell() { return "cd $ROOTFS && mount --move . / && chroot ."; }
        public String describe() { return "chroot into the rootfs"; }
    }

    record MaskPath(String path) implements PlanStep {
        public int opcode() { return 19; }
        public String toShell() { return "mount --bind /dev/null " + Shell.quote(path) + "  # or a read-only tmpfs on a directory"; }
        public String describe() { return "mask " + path; }
    }

    record ReadonlyPath(String path) implements PlanStep {
        public int opcode() { return 20; }
        public String toShell() {
            String p = Shell.quote(path);
            return "mount --bind " + p + " " + p + " && mount -o remount,bind,ro " + p;
        }
        public String describe() { return "make " + path + " read-only"; }
    }

    record RemountReadonly(String path) implements PlanStep {
        public int opcode() { return 22; }
        public String toShell() { return "mount -o remount,bind,ro " + Shell.quote(path); }
        public String describe() { return "remount " + path + " read-only"; }
    }

    record Rlimit(int resource, long soft, long hard, String name) implements PlanStep {
        public int opcode() { return 23; }
        public String toShell() { return "prlimit --" + name.substring(7).toLowerCase(java.util.Locale.ROOT) + "=" + Rlimits.show(soft) + ":" + Rlimits.show(hard) + " --pid $$"; }
        public String describe() { return "set " + name; }
    }

    record Umask(int mask) implements PlanStep {
        public int opcode() { return 24; }
        public String toShell() { return "umask " + String.format("%04o", mask); }
        public String describe() { return "set umask"; }
    }

    record Setsid() implements PlanStep {
        public int opcode() { return 25; }
        public String toShell() { return "setsid"; }
        public String describe() { return "start a new session"; }
    }

    record Console(int fd) implements PlanStep {
        public int opcode() { return 26; }
        public String toShell() { return "# open /dev/ptmx, send the master to the console socket, make the pty stdio"; }
        public String describe() { return "set up the console pty"; }
    }

    record Chdir(String path) implements PlanStep {
        public int opcode() { return 27; }
        public String path() { return path; }
        public String toShell() { return "cd " + Shell.quote(path); }
        public String describe() { return "change to working directory " + path; }
    }

    record User(int uid, int gid, List<Integer> groups, int lastCap, long bounding, long effective,
                long permitted, long inheritable, long ambient) implements PlanStep {
        public User {
            groups = List.copyOf(groups);
        }
        public int opcode() { return 28; }
        public String toShell() {
            StringBuilder s = new StringBuilder("setpriv --reuid=" + uid + " --regid=" + gid);
            s.append(groups.isEmpty() ? " --clear-groups" : " --groups=" + String.join(",", groups.stream().map(String::valueOf).toList()));
            s.append(" --bounding-set=").append(Caps.setpriv(bounding, lastCap));
            s.append(" --inh-caps=").append(Caps.setpriv(inheritable, lastCap));
            s.append(" --ambient-caps=").append(Caps.setpriv(ambient, lastCap));
            return s.toString();
        }
        public String describe() { return "switch to user " + uid + ":" + gid; }
    }

    record NoNewPrivileges() implements PlanStep {
        public int opcode() { return 29; }
        public String toShell() { return "setpriv --no-new-privs"; }
        public String describe() { return "set no_new_privs"; }
    }

    record Seccomp(int flags, byte[] program) implements PlanStep {
        public int opcode() { return 30; }
        /** Listed in full up to this many instructions; a longer filter shows its start (docs/seccomp.md). */
        static final int LISTED = 24;
        public String toShell() {
            int n = program.length / 8;
            StringBuilder s = new StringBuilder("# seccomp(SECCOMP_SET_MODE_FILTER, " + flags + ", prog): " + n
                    + " BPF instructions");
            String[] lines = dev.nido.security.BpfDisassembler.toText(program).split("\n");
            for (int i = 0; i < lines.length && i < LISTED; i++) {
                s.append("\n#   ").append(lines[i]);
            }
            if (lines.length > LISTED) {
                s.append("\n#   ... ").append(lines.length - LISTED).append(" more (docs/seccomp.md explains the layout)");
            }
            return s.toString();
        }
        public String describe() { return "load the seccomp filter"; }
    }

    record Ready() implements PlanStep {
        public int opcode() { return 31; }
        public String toShell() { return "# report ready"; }
        public String describe() { return "report ready"; }
    }

    record OpenFifo(String path) implements PlanStep {
        public int opcode() { return 32; }
        public String toShell() { return "exec 9<>" + Shell.quote(path); }
        public String describe() { return "open exec fifo " + path; }
    }

    record WaitFifo() implements PlanStep {
        public int opcode() { return 33; }
        public String toShell() { return "read -n1 <&9  # blocks until 'nido-runtime start'"; }
        public String describe() { return "wait for start"; }
    }

    record RunHook(String kind, String path, List<String> args, List<String> env, int timeout, String stdin)
            implements PlanStep {
        public RunHook {
            args = List.copyOf(args);
            env = List.copyOf(env);
        }
        public int opcode() { return 34; }
        public String path() { return path; }
        public String toShell() {
            return "echo \"$STATE\" | " + (timeout > 0 ? "timeout " + timeout + " " : "") + Shell.join(args.isEmpty() ? List.of(path) : args);
        }
        public String describe() { return kind + " hook " + path; }
    }

    record Exec(String path, List<String> argv, List<String> env) implements PlanStep {
        public Exec {
            argv = List.copyOf(argv);
            env = List.copyOf(env);
        }
        public int opcode() { return 35; }
        public String path() { return path; }
        public String toShell() { return "exec env -i " + Shell.join(env) + " " + Shell.join(argv); }
        public String describe() { return "exec " + path; }
    }

    record Mkdir(String path, int mode) implements PlanStep {
        public int opcode() { return 36; }
        public String path() { return path; }
        public String toShell() { return "mkdir -p -m " + Integer.toOctalString(mode) + " $ROOTFS" + path; }
        public String describe() { return "create directory " + path; }
    }

    /** Checks that the executable exists (create reports a missing one, as runc does). */
    record FindExec(String path, List<String> env) implements PlanStep {
        public FindExec {
            env = List.copyOf(env);
        }
        public int opcode() { return 38; }
        public String path() { return path; }
        public String toShell() { return "command -v " + Shell.quote(path) + " >/dev/null"; }
        public String describe() { return "find the executable " + path; }
    }

    record OomScoreAdj(int value) implements PlanStep {
        public int opcode() { return 37; }
        public String toShell() { return "echo " + value + " > /proc/self/oom_score_adj"; }
        public String describe() { return "set oom_score_adj"; }
    }

    /**
     * Parent op, before the clone: a detached copy of {@code source} whose file ids are shifted by
     * a user namespace with these maps (open_tree + mount_setattr MOUNT_ATTR_IDMAP), plus the
     * MOUNT_ATTR_RDONLY/NOSUID/NODEV/NOEXEC bits in {@code attrs}; {@link MoveTree} places it.
     */
    record IdmapTree(String source, boolean recursive, String uidMap, String gidMap, long attrs) implements PlanStep {
        public int opcode() { return 39; }
        public String path() { return source; }
        public String toShell() {
            return "# id-mapped copy of " + Shell.quote(source) + ": mount --bind" + (recursive ? " --rbind" : "")
                    + " -o X-mount.idmap=" + Shell.quote(idmapOption()) + " (util-linux 2.39)";
        }
        public String describe() { return "make an id-mapped copy of " + source; }
        private String idmapOption() {
            StringBuilder o = new StringBuilder();
            for (String l : uidMap.strip().split("\n")) {
                o.append(o.isEmpty() ? "" : " ").append("u:").append(l.strip().replace(' ', ':'));
            }
            for (String l : gidMap.strip().split("\n")) {
                o.append(" g:").append(l.strip().replace(' ', ':'));
            }
            return o.toString();
        }
    }

    /** Child op: puts the {@code index}th {@link IdmapTree} on {@code target} (move_mount). */
    record MoveTree(int index, String target, int targetFlags) implements PlanStep {
        public int opcode() { return 40; }
        public String path() { return target; }
        public String toShell() {
            return "# move the id-mapped copy onto " + ((targetFlags & Mount.IN_ROOT) != 0 ? "$ROOTFS" : "") + target;
        }
        public String describe() { return "mount an id-mapped copy on " + target; }
    }

    /**
     * Parent op: connect to the seccomp agent's socket (linux.seccomp.listenerPath); the SECCOMP
     * step of a filter with SCMP_ACT_NOTIFY rules sends it the listener fd with the process state.
     */
    record Listener(String socketPath, String metadataJson) implements PlanStep {
        public int opcode() { return 41; }
        public String path() { return socketPath; }
        public String toShell() { return "# connect to the seccomp agent at " + Shell.quote(socketPath)
                + " (it gets the filter's listener fd)"; }
        public String describe() { return "connect to the seccomp agent at " + socketPath; }
    }

    /**
     * Parent op, first: the helper stays as the container's monitor after READY (the engine's
     * detached containers): it keeps the log, serves attach clients on {@code socket}, records the
     * exit in {@code dir/exit} and then execs {@code exitCommand}.
     */
    record Monitor(String dir, String socket, String client, int flags, long logMax, int logFiles,
                   List<String> exitCommand) implements PlanStep {
        /** The container's stdin is a pipe the monitor holds open for attach clients. */
        public static final int STDIN_OPEN = 1;
        /** The container gets a pty (the plan also has CONSOLE_RELAY). */
        public static final int TERMINAL = 2;
        /** After READY the helper still reports the EXIT to the runtime, which stays to delete (run --monitor). */
        public static final int REPORT_EXIT = 4;

        public Monitor {
            exitCommand = List.copyOf(exitCommand);
        }

        public int opcode() { return 42; }
        public String path() { return dir; }
        public String toShell() {
            return "# nido-shim stays as the monitor: output to " + Shell.quote(dir + "/ctr.log")
                    + ", attach socket " + Shell.quote(socket) + ", exit record " + Shell.quote(dir + "/exit")
                    + (exitCommand.isEmpty() ? "" : ", then " + String.join(" ", exitCommand.stream().map(Shell::quote).toList()));
        }
        public String describe() { return "set up the monitor in " + dir; }
    }
}
