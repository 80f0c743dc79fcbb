package dev.nido.cli.runtime;

import dev.nido.oci.Capabilities;
import dev.nido.oci.Json;
import dev.nido.oci.User;
import dev.nido.runtime.ContainerException;
import dev.nido.runtime.Exec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "exec", sortOptions = false,
        description = {"Run a new process in a running container.", "",
                "Examples:", "  nido-runtime exec box ps", "  nido-runtime exec -t box sh",
                "  nido-runtime exec --process proc.json box"})
final class ExecCommand implements Callable<Integer> {
    @ParentCommand RuntimeCli top;

    @Option(names = {"--process", "-p"}, description = "a JSON file with the process (runtime-spec 'process')")
    Path processFile;

    @Option(names = {"--tty", "-t"}, description = "allocate a pseudo-terminal")
    boolean tty;

    @Option(names = {"--detach", "-d"}, description = "do not wait for the process")
    boolean detach;

    @Option(names = "--console-socket", description = "AF_UNIX socket that receives the pty master")
    Path consoleSocket;

    @Option(names = "--pid-file", description = "write the process id here")
    Path pidFile;

    @Option(names = "--cwd", description = "working directory in the container")
    String cwd;

    @Option(names = {"--env", "-e"}, description = "KEY=VALUE to set (repeatable)")
    List<String> env = new ArrayList<>();

    @Option(names = {"--user", "-u"}, description = "UID[:GID]")
    String user;

    @Option(names = {"--additional-gids", "-g"}, description = "supplementary group id (repeatable)")
    List<Long> additionalGids = new ArrayList<>();

    @Option(names = "--no-new-privs", description = "set no_new_privs for the process")
    boolean noNewPrivs;

    @Option(names = {"--cap", "-c"}, description = "add a capability (repeatable)")
    List<String> caps = new ArrayList<>();

    @Option(names = "--preserve-fds", defaultValue = "0", description = "only 0 is supported")
    int preserveFds;

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Parameters(index = "1..*", paramLabel = "COMMAND")
    List<String> command = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        Compat.preserveFds(preserveFds);
        Exec exec = new Exec(top.context());
        dev.nido.oci.Process p = processFile != null ? readProcess() : fromFlags(exec.baseProcess(id));
        if (!detach) {
            Signals.forward(exec::forward);
        }
        return exec.run(new Exec.Request(id, p, detach, consoleSocket, pidFile, top.explainSink()));
    }

    private dev.nido.oci.Process readProcess() throws IOException {
        try {
            dev.nido.oci.Process p = Json.read(Files.readAllBytes(processFile), dev.nido.oci.Process.class,
                    processFile.toString());
            if (p.args() == null || p.args().isEmpty()) {
                throw new ContainerException(processFile + ": args: must not be empty");
            }
            return p;
        } catch (NoSuchFileException e) {
            throw new ContainerException("--process " + processFile + ": no such file");
        }
    }

    private dev.nido.oci.Process fromFlags(dev.nido.oci.Process base) {
        if (command.isEmpty()) {
            throw new ContainerException("exec: no command given (usage: nido-runtime exec ID COMMAND [ARGS...])");
        }
        Map<String, String> envs = new LinkedHashMap<>();
        for (String e : concat(base.env(), env)) {
            int eq = e.indexOf('=');
            if (eq <= 0) {
                throw new ContainerException("--env \"" + e + "\": expected KEY=VALUE");
            }
            envs.put(e.substring(0, eq), e);
        }
        return new dev.nido.oci.Process(tty, null, user(base.user()), command, null, List.copyOf(envs.values()),
                cwd != null ? cwd : base.cwd(), capabilities(base.capabilities()), base.rlimits(),
                noNewPrivs || Boolean.TRUE.equals(base.noNewPrivileges()), base.apparmorProfile(),
                null, base.selinuxLabel(), null, null, null);
    }

    private User user(User base) {
        if (user == null && additionalGids.isEmpty()) {
            return base;
        }
        long uid = base == null || base.uid() == null ? 0 : base.uid();
        long gid = base == null || base.gid() == null ? 0 : base.gid();
        if (user != null) {
            String[] parts = user.split(":", 2);
            try {
                uid = Long.parseLong(parts[0]);
                gid = parts.length > 1 ? Long.parseLong(parts[1]) : gid;
            } catch (NumberFormatException e) {
                throw new ContainerException("--user \"" + user + "\": expected UID[:GID] as numbers");
            }
        }
        List<Long> gids = additionalGids.isEmpty() && base != null ? base.additionalGids() : additionalGids;
        return new User(uid, gid, base == null ? null : base.umask(), gids, null);
    }

    private Capabilities capabilities(Capabilities base) {
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
