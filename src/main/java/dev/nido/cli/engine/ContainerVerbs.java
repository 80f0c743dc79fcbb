package dev.nido.cli.engine;

import dev.nido.cli.args.CommandSpec;
import dev.nido.cli.args.Opt;
import dev.nido.cli.args.Parsed;
import dev.nido.engine.ContainerInfo;
import dev.nido.engine.Containers;
import dev.nido.engine.EngineException;
import dev.nido.engine.RunCommand;
import dev.nido.engine.RunOptions;
import dev.nido.image.template.TemplateRunner;
import dev.nido.oci.Json;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** run (foreground), ps, rm: the first of the engine's container commands. */
final class ContainerVerbs {
    static final List<Opt> RUN_OPTIONS = List.of(Opt.flag("remove the container when it exits", "--rm"),
                    Opt.value("NAME", "container name (unique)", "--name"),
                    Opt.repeated("KEY[=VALUE]", "environment variable", "--env", "-e"),
                    Opt.value("FILE", "environment variables, one KEY=VALUE a line", "--env-file"),
                    Opt.value("DIR", "working directory", "--workdir", "-w"),
                    Opt.value("USER[:GROUP]", "user (name or number)", "--user", "-u"),
                    Opt.value("NAME", "host name (default: the id's first 12 characters)", "--hostname"),
                    Opt.value("CMD", "replace the image's ENTRYPOINT ('' for none)", "--entrypoint"),
                    Opt.repeated("HOST:CONTAINER[:ro]", "bind mount", "--volume", "-v"),
                    Opt.repeated("PATH[:OPTS]", "a tmpfs", "--tmpfs"),
                    Opt.flag("read-only root filesystem", "--read-only"),
                    Opt.flag("keep standard input open (with -t: an interactive terminal)", "--interactive", "-i"),
                    Opt.flag("a terminal for the container", "--tty", "-t"),
                    Opt.flag("-i and -t together", "-it"),
                    Opt.value("MODE", "none (loopback only, the default until bridge networks exist) or host",
                            "--network").withDefault("none"),
                    Opt.value("SIZE", "memory limit (e.g. 64m, 1g)", "--memory", "-m"),
                    Opt.value("N", "most processes at once", "--pids-limit"),
                    Opt.value("CPUS", "CPU time, e.g. 0.5", "--cpus"),
                    Opt.value("SHARES", "relative CPU weight (1024 = normal)", "--cpu-shares"),
                    Opt.value("LIST", "CPUs allowed, e.g. 0-1", "--cpuset-cpus"),
                    Opt.repeated("CAP", "add a capability (NET_ADMIN, ALL)", "--cap-add"),
                    Opt.repeated("CAP", "drop a capability", "--cap-drop"),
                    Opt.flag("all capabilities, no seccomp filter, no no_new_privs", "--privileged"),
                    Opt.repeated("KEY=VALUE", "annotation on the container", "--label", "-l"),
                    Opt.flag("run in the background and print the container id", "--detach", "-d"),
                    Opt.value("SIZE", "memory + swap limit (-1: unlimited swap)", "--memory-swap"),
                    Opt.repeated("OPT", "seccomp=unconfined|PROFILE.json, no-new-privileges[:BOOL]", "--security-opt"),
                    Opt.flag("run a tiny init (tini) as PID 1 that reaps zombies and forwards signals", "--init"),
                    Opt.flag("a system container: the image's /sbin/init as PID 1, with a console", "--system"),
                    Opt.value("POLICY", "no, on-failure[:N], always, unless-stopped", "--restart").withDefault("no"),
                    Opt.value("SIGNAL", "what stop sends first (default: the image's, else TERM)", "--stop-signal"),
                    Opt.value("SECONDS", "how long stop waits before SIGKILL (default 10)", "--stop-timeout"),
                    Opt.repeated("KEY=VALUE", "max-size=SIZE, max-file=N: the log's rotation", "--log-opt"),
                    Opt.value("MODE", "host (default) or auto[:size=N]: root inside is an unprivileged id range"
                            + " outside (layers id-mapped, nothing chowned)", "--userns"),
                    Opt.value("NAME", "the image of this template (lxc-create -t), made first if missing; then no"
                            + " IMAGE is given", "--template"),
                    Opt.value("KEYS", "keys that detach a terminal, e.g. ctrl-a,q (default ctrl-p,ctrl-q; '' none)",
                            "--detach-keys"),
                    Opt.value("BOOL", "pass our SIGINT/SIGTERM/SIGHUP/SIGQUIT on to the container (default true)",
                            "--sig-proxy").withDefault("true"));

    static final EngineVerb RUN = new EngineVerb(new CommandSpec("run", List.of(
            "Run a command in a new container from an image; in the foreground the exit status is the command's.",
            "", "Examples:", "  nido run --rm busybox echo hello          (busybox is made offline from its template)",
            "  nido run --rm -e GREETING=hi -w /tmp busybox sh -c 'echo $GREETING from $(pwd)'",
            "  nido run --rm -v /srv/data:/data:ro --memory 64m --pids-limit 50 busybox ls /data",
            "  nido run -it --rm busybox sh",
            "  nido run -d --name web --restart on-failure:3 busybox httpd -f -p 8080",
            "  nido run -d --system --name sys busybox    (busybox init as PID 1; nido console sys)",
            "  nido run -d --system --template debian --name deb   (lxc-create -t debian + lxc-start)"),
            RUN_OPTIONS,
            List.of(), List.of("IMAGE"), "COMMAND"), ContainerVerbs::run);

    static final EngineVerb PS = new EngineVerb(new CommandSpec("ps", List.of(
            "List containers (running ones; -a: all).", "", "Examples:", "  nido ps -a", "  nido ps -a --format json"),
            List.of(Opt.flag("all containers, not only running ones", "--all", "-a"),
                    Opt.flag("only ids", "--quiet", "-q"), ImageVerbs.FORMAT),
            List.of(), List.of(), null), ContainerVerbs::ps);

    static final EngineVerb RM = new EngineVerb(new CommandSpec("rm", List.of(
            "Remove containers (their root filesystem changes go with them).", "", "Example:", "  nido rm -f web"),
            List.of(Opt.flag("remove a running container too (it is killed)", "--force", "-f")),
            List.of("CONTAINER"), List.of(), "MORE"), ContainerVerbs::rm);

    static final EngineVerb CREATE = new EngineVerb(new CommandSpec("create", List.of(
            "Create a container (root filesystem and OCI bundle) without running it; the flags are run's.", "",
            "Example:", "  nido create --name box busybox sh -c 'date >> /log; cat /log' && nido start -a box"),
            RUN_OPTIONS, List.of(), List.of("IMAGE"), "COMMAND"), ContainerVerbs::create);

    static final EngineVerb START = new EngineVerb(new CommandSpec("start", List.of(
            "Start a created or exited container again, with its earlier changes (in the background; -a: attached).",
            "", "Examples:", "  nido start box", "  nido start -a box"),
            List.of(Opt.flag("attach: stay in the foreground and exit with the container's status", "--attach", "-a")),
            List.of("CONTAINER"), List.of(), null), ContainerVerbs::start);

    static final EngineVerb INSPECT = new EngineVerb(new CommandSpec("inspect", List.of(
            "Show a container's record and OCI config as JSON.", "", "Example:", "  nido inspect box"),
            List.of(), List.of("CONTAINER"), List.of(), null), ContainerVerbs::inspect);

    static final EngineVerb CLONE = new EngineVerb(new CommandSpec("clone", List.of(
            "Copy a stopped container, as lxc-copy does: the same image layers (shared), a copy of its changes,",
            "its config, and a host name of its own.", "", "Example:", "  nido clone box box2 && nido start -a box2"),
            List.of(), List.of("SOURCE", "NEWNAME"), List.of(), null), ContainerVerbs::cloneVerb);

    static final EngineVerb CP = new EngineVerb(new CommandSpec("cp", List.of(
            "Copy files between a container (running or stopped) and the host; symlinks are copied, never followed.",
            "", "Examples:", "  nido cp box:/etc/hostname ./hostname", "  nido cp ./site box:/srv/"),
            List.of(), List.of("SOURCE", "DESTINATION"), List.of(), null), ContainerVerbs::cp);

    static final EngineVerb RENAME = new EngineVerb(new CommandSpec("rename", List.of(
            "Give a container another name.", "", "Example:", "  nido rename box web"),
            List.of(), List.of("CONTAINER", "NEWNAME"), List.of(), null), ContainerVerbs::rename);

    static final EngineVerb PRUNE = new EngineVerb(new CommandSpec("container-prune", List.of(
            "Remove every container that is not running.", "", "Example:", "  nido container prune"),
            List.of(), List.of(), List.of(), null), ContainerVerbs::prune);

    static final List<EngineVerb> ALL = List.of(RUN, CREATE, START, PS, RM, INSPECT, CLONE, CP, RENAME, PRUNE);

    private ContainerVerbs() {
    }

    private static Containers containers(EngineCli top) {
        return new Containers(top.context().root());
    }

    private static int run(Parsed a, EngineCli top) throws java.io.IOException {
        RunOptions o = options(a);
        String image = image(a, top);
        if (a.flag("--detach")) {
            if (o.remove() && o.extra().system()) {
                throw new EngineException("--rm with --system: a system container is kept (use nido rm)");
            }
            System.out.println(command(top).runDetached(image, o, System.err::println).id());
            return 0;
        }
        boolean stdin = o.extra().interactive();
        byte[] keys = AttachSession.keys(a.value("--detach-keys"), AttachSession.DOCKER_DETACH);
        boolean proxy = sigProxy(a);
        return command(top).run(image, o, System.err::println,
                c -> AttachSession.foreground(c, stdin, o.tty(), keys, proxy));
    }

    static boolean sigProxy(Parsed a) {
        String v = a.value("--sig-proxy");
        if (!v.equals("true") && !v.equals("false")) {
            throw new EngineException("--sig-proxy " + v + ": expected true or false");
        }
        return v.equals("true");
    }

    /** IMAGE, or with --template NAME that template's image (made from it when missing: lxc-create -t). */
    private static String image(Parsed a, EngineCli top) {
        String t = a.value("--template");
        if (t == null) {
            if (a.positional(0) == null) {
                throw new EngineException("give an IMAGE (e.g. busybox) or --template NAME (nido template ls)");
            }
            return a.positional(0);
        }
        return command(top).fromTemplate(t, System.err::println);
    }

    /** The command: what follows IMAGE, or with --template everything after the options. */
    private static List<String> commandOf(Parsed a) {
        return a.value("--template") != null ? a.restFrom(0) : a.restFrom(1);
    }

    private static int create(Parsed a, EngineCli top) throws java.io.IOException {
        if (a.flag("--rm")) {
            throw new EngineException("--rm: a created container is kept until nido rm (use it with run)");
        }
        RunOptions o = options(a);
        var info = command(top).create(image(a, top), o, System.err::println);
        System.out.println(info.id());
        return 0;
    }

    private static int start(Parsed a, EngineCli top) {
        RunCommand cmd = command(top);
        ContainerInfo c = containers(top).find(a.positional(0));
        if (!a.flag("--attach")) {
            cmd.lifecycle().start(c.id(), null);
            System.out.println(c.name());
            return 0;
        }
        return cmd.startAttached(c, s -> AttachSession.foreground(s, c.host().interactive(), c.host().tty(),
                AttachSession.DOCKER_DETACH, true));
    }

    private static int rename(Parsed a, EngineCli top) {
        containers(top).rename(a.positional(0), a.positional(1));
        return 0;
    }

    private static int prune(Parsed a, EngineCli top) {
        Containers cs = containers(top);
        RunCommand cmd = new RunCommand(top.context().images(), cs, top.sys(), null, false);
        int n = 0;
        for (ContainerInfo c : cs.list()) {
            if (!dev.nido.engine.LiveState.of(cs, c).isUp()) {
                cmd.rm(c.id(), false);
                System.out.println(c.id().substring(0, 12) + "  " + c.name());
                n++;
            }
        }
        System.out.println("Deleted containers: " + n);
        return 0;
    }

    private static int cp(Parsed a, EngineCli top) {
        new dev.nido.engine.CopyCommand(top.context().images(), containers(top), top.sys())
                .copy(a.positional(0), a.positional(1));
        return 0;
    }

    private static int cloneVerb(Parsed a, EngineCli top) {
        System.out.println(command(top).clone(a.positional(0), a.positional(1)).id());
        return 0;
    }

    private static int inspect(Parsed a, EngineCli top) throws java.io.IOException {
        Containers cs = containers(top);
        ContainerInfo c = cs.find(a.positional(0));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", c.id());
        m.put("Name", c.name());
        m.put("Image", c.image());
        m.put("ImageID", c.imageId());
        m.put("Created", c.created());
        dev.nido.engine.LiveState live = dev.nido.engine.LiveState.of(cs, c);
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("Status", live.state());
        state.put("Pid", live.pid());
        state.put("ExitCode", live.exitCode() == null ? 0 : live.exitCode());
        state.put("StartedAt", c.started() == null ? "" : c.started());
        state.put("FinishedAt", live.finishedAt() == null ? "" : live.finishedAt());
        state.put("RestartCount", c.restartCount());
        m.put("State", state);
        m.put("HostConfig", c.host());
        m.put("LogPath", cs.dir(c.id()).resolve("ctr.log").toString());
        m.put("Path", cs.dir(c.id()).toString());
        java.nio.file.Path config = cs.dir(c.id()).resolve("bundle/config.json");
        if (java.nio.file.Files.exists(config)) {
            m.put("Config", Json.read(java.nio.file.Files.readAllBytes(config), Object.class, config.toString()));
        }
        System.out.print(new String(Json.writePretty(List.of(m), "    "), StandardCharsets.UTF_8));
        return 0;
    }

    private static RunCommand command(EngineCli top) {
        return new RunCommand(top.context().images(), containers(top), top.sys(),
                TemplateRunner.defaultCache(dev.nido.runtime.Identity.uid(), System.getenv(),
                        System.getProperty("user.home")), top.explain());
    }

    private static RunOptions options(Parsed a) throws java.io.IOException {
        List<String> env = new java.util.ArrayList<>(a.all("--env"));
        if (a.value("--env-file") != null) {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of(a.value("--env-file")))) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    env.add(line.strip());
                }
            }
        }
        Map<String, String> labels = new LinkedHashMap<>();
        for (String l : a.all("--label")) {
            int eq = l.indexOf('=');
            labels.put(eq < 0 ? l : l.substring(0, eq), eq < 0 ? "" : l.substring(eq + 1));
        }
        String network = a.value("--network");
        if (!network.equals("none") && !network.equals("host")) {
            throw new EngineException("--network " + network + ": expected none or host (bridge networks are not"
                    + " there yet)");
        }
        boolean tty = a.flag("--tty") || a.flag("-it");
        RunOptions.Extra extra = new RunOptions.Extra(a.flag("--interactive") || a.flag("-it"),
                swap(a.value("--memory-swap")), a.all("--security-opt"), a.flag("--init"), a.flag("--system"),
                dev.nido.engine.RestartPolicy.parse(a.value("--restart")), a.value("--stop-signal"),
                Sizes.number(a.value("--stop-timeout"), "--stop-timeout") == null ? null
                        : Math.toIntExact(Sizes.number(a.value("--stop-timeout"), "--stop-timeout")),
                logOpt(a, "max-size"), logOpt(a, "max-file") == null ? null
                        : Math.toIntExact(logOpt(a, "max-file")), a.value("--userns"));
        return new RunOptions(a.value("--name"), commandOf(a), a.value("--entrypoint"), env,
                a.value("--workdir"), a.value("--user"), a.value("--hostname"), a.all("--volume"), a.all("--tmpfs"),
                a.flag("--read-only"), tty, network, Sizes.bytes(a.value("--memory"), "--memory"),
                Sizes.number(a.value("--pids-limit"), "--pids-limit"), Sizes.fraction(a.value("--cpus"), "--cpus"),
                Sizes.number(a.value("--cpu-shares"), "--cpu-shares"), a.value("--cpuset-cpus"), a.all("--cap-add"),
                a.all("--cap-drop"), a.flag("--privileged"), a.flag("--rm"), labels, extra);
    }

    private static Long swap(String v) {
        return v == null ? null : v.strip().equals("-1") ? Long.valueOf(-1) : Sizes.bytes(v, "--memory-swap");
    }

    private static Long logOpt(Parsed a, String key) {
        Long found = null;
        for (String o : a.all("--log-opt")) {
            int eq = o.indexOf('=');
            String k = eq < 0 ? o : o.substring(0, eq);
            if (!k.equals("max-size") && !k.equals("max-file")) {
                throw new EngineException("--log-opt " + o + ": expected max-size=SIZE or max-file=N (the json-file"
                        + " log is the only driver)");
            }
            if (k.equals(key)) {
                String v = eq < 0 ? "" : o.substring(eq + 1);
                found = key.equals("max-size") ? Sizes.bytes(v, "--log-opt max-size") : Sizes.number(v,
                        "--log-opt max-file");
                if (found <= 0) {
                    throw new EngineException("--log-opt " + o + ": must be at least 1");
                }
            }
        }
        return found;
    }

    private static int ps(Parsed a, EngineCli top) {
        Containers cs = containers(top);
        boolean json = "json".equals(a.value("--format"));
        Table t = new Table("CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "NAMES");
        for (ContainerInfo c : cs.list()) {
            dev.nido.engine.LiveState live = dev.nido.engine.LiveState.of(cs, c);
            if (!a.flag("--all") && !live.isUp()) {
                continue;
            }
            String status = live.describe();
            String command = String.join(" ", c.command());
            if (a.flag("--quiet")) {
                System.out.println(c.id().substring(0, 12));
            } else if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("Id", c.id());
                m.put("Names", List.of(c.name()));
                m.put("Image", c.image());
                m.put("ImageID", c.imageId());
                m.put("Command", c.command());
                m.put("Created", c.created());
                m.put("State", live.state());
                m.put("Status", status);
                m.put("ExitCode", live.exitCode());
                m.put("Pid", live.pid());
                System.out.println(new String(Json.writeCompact(m), StandardCharsets.UTF_8));
            } else {
                t.row(c.id().substring(0, 12), c.image(), command.length() > 30 ? command.substring(0, 29) + "…"
                        : command, c.created(), status, c.name());
            }
        }
        if (!json && !a.flag("--quiet")) {
            t.print(System.out);
        }
        return 0;
    }

    private static int rm(Parsed a, EngineCli top) {
        RunCommand cmd = new RunCommand(top.context().images(), containers(top), top.sys(), null, false);
        List<String> refs = new java.util.ArrayList<>(List.of(a.positional(0)));
        refs.addAll(a.restFrom(1));
        int code = 0;
        for (String r : refs) {
            try {
                cmd.rm(r, a.flag("--force"));
                System.out.println(r);
            } catch (EngineException e) {
                System.err.println("nido: " + e.getMessage());
                code = 1;
            }
        }
        return code;
    }

    /** Sizes and numbers in flags. */
    static final class Sizes {
        private Sizes() {
        }

        static Long bytes(String v, String flag) {
            if (v == null) {
                return null;
            }
            String s = v.strip().toLowerCase(java.util.Locale.ROOT);
            long mult = 1;
            char last = s.isEmpty() ? ' ' : s.charAt(s.length() - 1);
            if (last == 'b') {
                s = s.substring(0, s.length() - 1);
                last = s.isEmpty() ? ' ' : s.charAt(s.length() - 1);
            }
            switch (last) {
                case 'k' -> mult = 1L << 10;
                case 'm' -> mult = 1L << 20;
                case 'g' -> mult = 1L << 30;
                default -> {
                    if (!Character.isDigit(last)) {
                        throw new EngineException(flag + " " + v + ": expected a number with an optional unit b, k, m"
                                + " or g (e.g. 64m)");
                    }
                }
            }
            if (mult > 1) {
                s = s.substring(0, s.length() - 1);
            }
            try {
                long n = Long.parseLong(s);
                if (n <= 0) {
                    throw new NumberFormatException();
                }
                return Math.multiplyExact(n, mult);
            } catch (NumberFormatException | ArithmeticException e) {
                throw new EngineException(flag + " " + v + ": expected a positive number with an optional unit b, k,"
                        + " m or g (e.g. 64m)");
            }
        }

        static Long number(String v, String flag) {
            if (v == null) {
                return null;
            }
            try {
                return Long.parseLong(v.strip());
            } catch (NumberFormatException e) {
                throw new EngineException(flag + " " + v + ": expected a whole number");
            }
        }

        static Double fraction(String v, String flag) {
            if (v == null) {
                return null;
            }
            try {
                double d = Double.parseDouble(v.strip());
                if (!(d > 0)) {
                    throw new NumberFormatException();
                }
                return d;
            } catch (NumberFormatException e) {
                throw new EngineException(flag + " " + v + ": expected a positive number such as 0.5");
            }
        }
    }
}
