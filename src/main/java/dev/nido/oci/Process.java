package dev.nido.oci;

import java.util.List;

/**
 * The container process ({@code process}). Import it by name: it shares its simple name with
 * {@link java.lang.Process}. {@code commandLine} is Windows-only and kept only to round-trip.
 */
public record Process(
        Boolean terminal,
        ConsoleSize consoleSize,
        User user,
        List<String> args,
        String commandLine,
        List<String> env,
        String cwd,
        Capabilities capabilities,
        List<Rlimit> rlimits,
        Boolean noNewPrivileges,
        String apparmorProfile,
        Integer oomScoreAdj,
        String selinuxLabel,
        IoPriority ioPriority,
        Scheduler scheduler,
        ExecCpuAffinity execCPUAffinity) {
    /** Its JSON, fields in the spec's (and runc's) order. */
    static final JsonCodec<Process> JSON = new JsonCodec<>() {
        @Override
        Process fromJson(JsonTree o) {
            return new Process(
                    o.bool("terminal"),
                    o.object("consoleSize", ConsoleSize.JSON),
                    o.object("user", User.JSON),
                    o.strings("args"),
                    o.string("commandLine"),
                    o.strings("env"),
                    o.string("cwd"),
                    o.object("capabilities", Capabilities.JSON),
                    o.list("rlimits", Rlimit.JSON),
                    o.bool("noNewPrivileges"),
                    o.string("apparmorProfile"),
                    o.int32("oomScoreAdj"),
                    o.string("selinuxLabel"),
                    o.object("ioPriority", IoPriority.JSON),
                    o.object("scheduler", Scheduler.JSON),
                    o.object("execCPUAffinity", ExecCpuAffinity.JSON));
        }

        @Override
        void toJson(JsonOut out, Process r) {
            out.field("terminal", r.terminal())
                    .field("consoleSize", r.consoleSize())
                    .field("user", r.user())
                    .field("args", r.args())
                    .field("commandLine", r.commandLine())
                    .field("env", r.env())
                    .field("cwd", r.cwd())
                    .field("capabilities", r.capabilities())
                    .field("rlimits", r.rlimits())
                    .field("noNewPrivileges", r.noNewPrivileges())
                    .field("apparmorProfile", r.apparmorProfile())
                    .field("oomScoreAdj", r.oomScoreAdj())
                    .field("scheduler", r.scheduler())
                    .field("selinuxLabel", r.selinuxLabel())
                    .field("ioPriority", r.ioPriority())
                    .field("execCPUAffinity", r.execCPUAffinity());
        }
    };

    public Process {
        args = Copies.list(args);
        env = Copies.list(env);
        rlimits = Copies.list(rlimits);
    }

    public Process withArgs(List<String> newArgs) {
        return new Process(terminal, consoleSize, user, newArgs, commandLine, env, cwd, capabilities, rlimits,
                noNewPrivileges, apparmorProfile, oomScoreAdj, selinuxLabel, ioPriority, scheduler, execCPUAffinity);
    }

    public Process withTerminal(Boolean newTerminal) {
        return new Process(newTerminal, consoleSize, user, args, commandLine, env, cwd, capabilities, rlimits,
                noNewPrivileges, apparmorProfile, oomScoreAdj, selinuxLabel, ioPriority, scheduler, execCPUAffinity);
    }

    public Process withEnv(List<String> newEnv) {
        return new Process(terminal, consoleSize, user, args, commandLine, newEnv, cwd, capabilities, rlimits,
                noNewPrivileges, apparmorProfile, oomScoreAdj, selinuxLabel, ioPriority, scheduler, execCPUAffinity);
    }
}
