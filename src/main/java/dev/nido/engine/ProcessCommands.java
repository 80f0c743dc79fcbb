package dev.nido.engine;

import dev.nido.image.build.Users;
import dev.nido.image.store.ImageStore;
import dev.nido.linux.Syscalls;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

/** {@code nido exec}, {@code top} and {@code update}: the runtime's exec, ps and update on a running container. */
public final class ProcessCommands {
    private final Containers cs;
    private final boolean explain;

    public ProcessCommands(ImageStore images, Containers cs, Syscalls sys, boolean explain) {
        this.cs = cs;
        this.explain = explain;
    }

    /** What {@code nido exec} was asked for. */
    public record ExecOptions(boolean interactive, boolean tty, boolean detach, List<String> env, String user,
                              String workdir, List<String> command) {
    }

    private ContainerInfo running(String ref, String what) {
        ContainerInfo c = cs.find(ref);
        LiveState s = LiveState.of(cs, c);
        if (!s.state().equals("running") && !s.state().equals("unmonitored")) {
            throw new EngineException("container " + c.name() + " is " + s.state() + ": " + what
                    + " needs a running container (nido start " + c.name() + ")");
        }
        return c;
    }

    /** Runs a command in the container; returns its exit status (126/127 when it cannot run). */
    public int exec(String ref, ExecOptions o) {
        ContainerInfo c = running(ref, "exec");
        if (o.command().isEmpty()) {
            throw new EngineException("exec " + c.name() + ": give a command to run");
        }
        List<String> args = new ArrayList<>(List.of("exec"));
        if (o.tty()) {
            args.add("--tty");
        }
        if (o.detach()) {
            args.add("--detach");
        }
        for (String e : o.env()) {
            if (e.startsWith("=") || e.isEmpty()) {
                throw new EngineException("-e " + e + ": expected KEY=VALUE or KEY");
            }
            String kv = e.contains("=") ? e : System.getenv(e) == null ? null : e + "=" + System.getenv(e);
            if (kv != null) {
                args.addAll(List.of("--env", kv));
            }
        }
        if (o.user() != null) {
            Users.Ids ids = Users.resolve(cs.dir(c.id()).resolve("fs/rootfs"), o.user());
            args.addAll(List.of("--user", ids.uid() + ":" + ids.gid()));
        }
        if (o.workdir() != null) {
            args.addAll(List.of("--cwd", o.workdir()));
        }
        args.add(c.id());
        args.addAll(o.command());
        Runtime rt = new Runtime(cs.runtimeRoot(), explain);
        return rt.inherit(args, o.interactive() || o.tty() ? null : new File("/dev/null"));
    }

    /** {@code nido top}: the container's processes, by ps(1) with the given options (default -ef). */
    public int top(String ref, List<String> psArgs) {
        ContainerInfo c = running(ref, "top");
        List<String> args = new ArrayList<>(List.of("ps", c.id()));
        args.addAll(psArgs.isEmpty() ? List.of("-ef") : psArgs);
        return new Runtime(cs.runtimeRoot(), false).inherit(args, new File("/dev/null"));
    }
}
