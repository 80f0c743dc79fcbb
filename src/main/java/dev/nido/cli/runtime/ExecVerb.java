package dev.nido.cli.runtime;

import dev.nido.cli.args.CommandSpec;
import dev.nido.cli.args.Opt;
import dev.nido.cli.args.Parsed;
import dev.nido.oci.Capabilities;
import dev.nido.oci.Json;
import dev.nido.oci.User;
import dev.nido.runtime.ContainerException;
import dev.nido.runtime.Exec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** exec: a new process in a running container, from --process or from flags. */
final class ExecVerb {
    private ExecVerb() {
    }

    static final Verb EXEC = new Verb(new CommandSpec("exec", List.of(
            "Run a new process in a running container.", "",
            "Examples:", "  nido-runtime exec box ps", "  nido-runtime exec -t box sh",
            "  nido-runtime exec --process proc.json box"),
            List.of(Opt.value("FILE", "a JSON file with the process (runtime-spec 'process')", "--process", "-p"),
                    Opt.flag("allocate a pseudo-terminal", "--tty", "-t"),
                    Opt.flag("do not wait for the process", "--detach", "-d"),
                    LifecycleVerbs.CONSOLE, LifecycleVerbs.PID_FILE,
                    Opt.value("DIR", "working directory in the container", "--cwd"),
                    Opt.repeated("KEY=VALUE", "set an environment variable (repeatable)", "--env", "-e"),
                    Opt.value("UID[:GID]", "user to run as", "--user", "-u"),
                    Opt.repeated("GID", "supplementary group id (repeatable)", "--additional-gids", "-g"),
                    Opt.flag("set no_new_privs for the process", "--no-new-privs"),
                    Opt.repeated("CAP", "add a capability (repeatable)", "--cap", "-c"),
                    Opt.value("LABEL", "ignored: SELinux is not supported", "--process-label").hide(),
                    Opt.value("PROFILE", "ignored: AppArmor is not supported", "--apparmor").hide(),
                    LifecycleVerbs.PRESERVE_FDS),
            List.of("ID"), List.of(), "COMMAND"),
            ExecVerb::exec);

    private static int exec(Parsed a, RuntimeCli top) throws IOException {
        LifecycleVerbs.preserveFds(a);
        String id = a.positional(0);
        Exec exec = new Exec(top.context());
        dev.nido.oci.Process p = a.value("--process") != null ? readProcess(a.path("--process"))
                : fromFlags(a, exec.baseProcess(id));
        boolean detach = a.flag("--detach");
        if (!detach) {
            SignalForwarding.forward(exec::forward);
        }
        return exec.run(new Exec.Request(id, p, detach, a.path("--console-socket"), a.path("--pid-file"),
                top.explainSink()));
    }

    private static dev.nido.oci.Process readProcess(Path file) throws IOException {
        try {
            dev.nido.oci.Process p = Json.read(Files.readAllBytes(file), dev.nido.oci.Process.class, file.toString());
            if (p.args() == null || p.args().isEmpty()) {
                throw new ContainerException(file + ": args: must not be empty");
            }
            return p;
        } catch (NoSuchFileException e) {
            throw new ContainerException("--process " + file + ": no such file");
        }
    }

    private static dev.nido.oci.Process fromFlags(Parsed a, dev.nido.oci.Process base) {
        List<String> command = a.restFrom(1);
        if (command.isEmpty()) {
            throw new ContainerException("exec: no command given (usage: nido-runtime exec ID COMMAND [ARGS...])");
        }
        Map<String, String> envs = new LinkedHashMap<>();
        for (String e : concat(base.env(), a.all("--env"))) {
            int eq = e.indexOf('=');
            if (eq <= 0) {
                throw new ContainerException("--env \"" + e + "\": expected KEY=VALUE");
            }
            envs.put(e.substring(0, eq), e);
        }
        String cwd = a.value("--cwd");
        return new dev.nido.oci.Process(a.flag("--tty"), null, user(a, base.user()), command, null,
                List.copyOf(envs.values()), cwd != null ? cwd : base.cwd(), capabilities(a.all("--cap"),
                base.capabilities()), base.rlimits(), a.flag("--no-new-privs") || Boolean.TRUE.equals(
                base.noNewPrivileges()), base.apparmorProfile(), null, base.selinuxLabel(), null, null, null);
    }

    private static User user(Parsed a, User base) {
        String user = a.value("--user");
        List<String> gidArgs = a.all("--additional-gids");
        if (user == null && gidArgs.isEmpty()) {
            return base;
        }
        long uid = base == null || base.uid() == null ? 0 : base.uid();
        long gid = base == null || base.gid() == null ? 0 : base.gid();
        try {
            if (user != null) {
                String[] parts = user.split(":", 2);
                uid = Long.parseLong(parts[0]);
                gid = parts.length > 1 ? Long.parseLong(parts[1]) : gid;
            }
            List<Long> gids = new ArrayList<>();
            for (String g : gidArgs) {
                gids.add(Long.parseLong(g));
            }
            return new User(uid, gid, base == null ? null : base.umask(),
                    gids.isEmpty() && base != null ? base.additionalGids() : gids, null);
        } catch (NumberFormatException e) {
            throw new ContainerException("--user \"" + user + "\" / --additional-gids: expected numeric ids (UID[:GID])");
        }
    }

    private static Capabilities capabilities(List<String> caps, Capabilities base) {
        if (caps.isEmpty()) {
            return base;
        }
        Capabilities b = base == null ? new Capabilities(null, null, null, null, null) : base;
        return new Capabilities(concat(b.bounding(), caps), concat(b.effective(), caps), concat(b.inheritable(), caps),
                concat(b.permitted(), caps), concat(b.ambient(), caps));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a == null ? List.of() : a);
        for (String s : b) {
            if (!out.contains(s)) {
                out.add(s);
            }
        }
        return out;
    }
}
