package dev.nido.cli.engine;

import dev.nido.cli.args.CommandSpec;
import dev.nido.cli.args.Parsed;
import dev.nido.engine.ContainerInfo;
import dev.nido.engine.Containers;
import dev.nido.engine.EngineException;
import dev.nido.engine.LxcConfig;
import dev.nido.image.store.AtomicFiles;
import dev.nido.oci.RuntimeSpec;
import dev.nido.oci.SpecReader;
import dev.nido.oci.SpecValidator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** config: LXC's configuration keys on a container. */
final class ConfigVerbs {
    static final EngineVerb CONFIG = new EngineVerb(new CommandSpec("config", List.of(
            "Read or set a container's configuration with LXC's keys; changes apply at the next start.", "",
            "Examples:", "  nido config box                                   (every key)",
            "  nido config box lxc.uts.name",
            "  nido config box lxc.uts.name=web1 lxc.environment=GREETING=hi",
            "  nido config box 'lxc.mount.entry=/home/so mnt/home_so none bind,create=dir 0 0'",
            "  nido config box lxc.cgroup2.memory.max=67108864 'lxc.idmap=u 0 100000 65536' 'lxc.idmap=g 0 100000 65536'",
            "", "Keys: " + String.join(", ", LxcConfig.KEYS.keySet())),
            List.of(), List.of("CONTAINER"), List.of(), "KEY[=VALUE]"), ConfigVerbs::config);

    private ConfigVerbs() {
    }

    private static int config(Parsed a, EngineCli top) throws IOException {
        Containers cs = new Containers(top.context().root());
        ContainerInfo c = cs.find(a.positional(0));
        Path config = cs.dir(c.id()).resolve("bundle/config.json");
        if (!Files.isRegularFile(config)) {
            throw new EngineException("container " + c.name() + " has no config (it was never created completely)");
        }
        RuntimeSpec spec = SpecReader.parse(Files.readAllBytes(config), config.toString());
        List<String> args = a.restFrom(1);
        if (args.isEmpty()) {
            LxcConfig.show(spec).forEach(System.out::println);
            return 0;
        }
        boolean changed = false;
        boolean cgroupKeys = false;
        List<String> shown = new ArrayList<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq < 0) {
                for (String line : LxcConfig.show(spec)) {
                    if (line.startsWith(arg + " = ")) {
                        shown.add(line.substring(arg.length() + 3));
                    }
                }
                if (!LxcConfig.KEYS.containsKey(arg)) {
                    throw new EngineException("unknown key " + arg + " (nido maps " + String.join(", ",
                            LxcConfig.KEYS.keySet()) + ")");
                }
            } else {
                spec = LxcConfig.set(spec, arg.substring(0, eq).strip(), arg.substring(eq + 1));
                changed = true;
                cgroupKeys |= arg.startsWith("lxc.cgroup");
            }
        }
        shown.forEach(System.out::println);
        if (changed) {
            List<String> problems = SpecValidator.validate(spec, cs.dir(c.id()).resolve("bundle"));
            if (!problems.isEmpty()) {
                throw new EngineException("the change makes an invalid config: " + problems.getFirst());
            }
            if (dev.nido.engine.LiveState.of(cs, c).isUp()) {
                if (cgroupKeys) {
                    // cgroup keys apply live, all or nothing, as lxc-cgroup does
                    new dev.nido.engine.UpdateCommand(cs).applyLive(c, spec.linux().resources());
                }
                if (!cgroupKeys || args.stream().anyMatch(x -> x.contains("=") && !x.startsWith("lxc.cgroup"))) {
                    System.err.println("nido: " + c.name() + " is running: " + (cgroupKeys ? "the cgroup keys apply"
                            + " now, the others" : "the change applies") + " at its next start");
                }
            }
            AtomicFiles.write(config, SpecReader.write(spec));
        }
        return 0;
    }
}
