package dev.nido.cli.engine;

import dev.nido.cli.args.CommandSpec;
import dev.nido.cli.args.Opt;
import dev.nido.cli.args.Parsed;
import dev.nido.image.registry.Progress;
import dev.nido.image.registry.Puller;
import dev.nido.image.registry.Pusher;
import dev.nido.image.registry.RegistryClient;
import dev.nido.image.store.Image;
import dev.nido.image.store.Reference;
import dev.nido.oci.Descriptor;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** pull, push, login, logout. */
final class RegistryVerbs {
    static final Opt INSECURE = Opt.repeated("REGISTRY", "talk plain http (and unverified TLS) to this registry",
            "--insecure");

    static final EngineVerb PULL = new EngineVerb(new CommandSpec("pull", List.of(
            "Download an image from a registry into the store.", "", "Examples:", "  nido pull debian:12",
            "  nido pull --platform linux/arm64 alpine", "  nido pull --insecure localhost:5000 localhost:5000/team/app:v1"),
            List.of(ImageVerbs.PLATFORM, INSECURE, Opt.flag("no progress output", "--quiet", "-q")),
            List.of("IMAGE"), List.of(), null), RegistryVerbs::pull);

    static final EngineVerb PUSH = new EngineVerb(new CommandSpec("push", List.of(
            "Upload an image from the store to a registry.", "", "Examples:",
            "  nido push localhost:5000/team/app:v1", "  nido push --insecure localhost:5000 app localhost:5000/team/app:v1"),
            List.of(ImageVerbs.PLATFORM, INSECURE, Opt.flag("no progress output", "--quiet", "-q")),
            List.of("IMAGE"), List.of("DESTINATION"), null), RegistryVerbs::push);

    static final EngineVerb LOGIN = new EngineVerb(new CommandSpec("login", List.of(
            "Check and store credentials for a registry (0600, in nido's own file).", "", "Examples:",
            "  nido login -u alice registry.example.com          (asks for the password)",
            "  echo \"$TOKEN\" | nido login -u alice --password-stdin registry.example.com"),
            List.of(Opt.value("USER", "user name", "--username", "-u"),
                    Opt.flag("read the password from standard input", "--password-stdin"), INSECURE),
            List.of("REGISTRY"), List.of(), null), RegistryVerbs::login);

    static final EngineVerb LOGOUT = new EngineVerb(new CommandSpec("logout", List.of(
            "Forget the credentials stored for a registry.", "", "Example:", "  nido logout registry.example.com"),
            List.of(), List.of("REGISTRY"), List.of(), null), RegistryVerbs::logout);

    static final List<EngineVerb> ALL = List.of(PULL, PUSH, LOGIN, LOGOUT);

    private RegistryVerbs() {
    }

    private static Progress progress(Parsed a) {
        return a.flag("--quiet") ? Progress.none() : Progress.forConsole(System.err);
    }

    private static int pull(Parsed a, EngineCli top) {
        Reference ref = Reference.parse(a.positional(0));
        try (RegistryClient client = RegistryClient.create(a.all("--insecure"))) {
            Image img = new Puller(client).pull(ref, ImageVerbs.platform(a), top.context().images(), progress(a));
            System.out.println(img.id());
        }
        return 0;
    }

    private static int push(Parsed a, EngineCli top) {
        String local = a.positional(0);
        Reference remote = Reference.parse(a.positional(1) == null ? local : a.positional(1));
        try (RegistryClient client = RegistryClient.create(a.all("--insecure"))) {
            Descriptor d = new Pusher(client).push(top.context().images(), local, remote, ImageVerbs.platform(a),
                    progress(a));
            System.out.println(remote.familiar() + "@" + d.digest());
        }
        return 0;
    }

    private static int login(Parsed a, EngineCli top) throws java.io.IOException {
        String user = a.value("--username");
        if (user == null) {
            throw new IllegalArgumentException("--username USER is required");
        }
        String password;
        if (a.flag("--password-stdin")) {
            password = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        } else if (System.console() != null) {
            char[] p = System.console().readPassword("Password: ");
            password = p == null ? null : new String(p);
        } else {
            throw new IllegalArgumentException("no terminal to ask for the password: use --password-stdin");
        }
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("empty password");
        }
        try (RegistryClient client = RegistryClient.create(a.all("--insecure"))) {
            var file = client.login(a.positional(0), user, password);
            System.out.println("Login Succeeded (credentials in " + file + ")");
        }
        return 0;
    }

    private static int logout(Parsed a, EngineCli top) {
        try (RegistryClient client = RegistryClient.create(List.of())) {
            if (!client.logout(a.positional(0))) {
                System.err.println("nido: not logged in to " + a.positional(0));
                return 1;
            }
        }
        System.out.println("Removed login credentials for " + a.positional(0));
        return 0;
    }
}
