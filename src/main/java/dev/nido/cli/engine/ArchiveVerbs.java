package dev.nido.cli.engine;

import dev.nido.cli.args.CommandSpec;
import dev.nido.cli.args.Opt;
import dev.nido.cli.args.Parsed;
import dev.nido.image.ImageException;
import dev.nido.image.archive.ArchiveLoad;
import dev.nido.image.archive.ArchiveSave;
import dev.nido.image.archive.RootfsExport;
import dev.nido.image.archive.RootfsImport;
import dev.nido.image.store.Image;
import dev.nido.image.store.ImageStore;
import dev.nido.image.store.Reference;
import dev.nido.linux.Syscalls;
import dev.nido.oci.ContainerConfig;
import dev.nido.oci.Json;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** import, export, save, load. */
final class ArchiveVerbs {
    static final EngineVerb IMPORT = new EngineVerb(new CommandSpec("import", List.of(
            "Make a one-layer image from a root filesystem tar (plain, gzip or zstd; - reads standard input).", "",
            "Examples:", "  nido import rootfs.tar.gz mybase:1", "  tar -C /srv/root -c . | nido import - mybase:2",
            "  nido import -c 'CMD [\"/bin/sh\"]' -c 'ENV LANG=C.UTF-8' rootfs.tar mybase:3"),
            List.of(Opt.repeated("INSTRUCTION", "CMD, ENTRYPOINT, ENV, WORKDIR, USER or LABEL for the image's config",
                    "--change", "-c")),
            List.of("FILE", "IMAGE"), List.of(), null), ArchiveVerbs::importTar);

    static final EngineVerb EXPORT = new EngineVerb(new CommandSpec("export", List.of(
            "Write an image's root filesystem, every layer merged, as one tar (what nido import takes).", "",
            "Example:", "  nido export busybox -o busybox-rootfs.tar"),
            List.of(Opt.value("FILE", "write here instead of standard output", "--output", "-o"), ImageVerbs.PLATFORM),
            List.of("IMAGE"), List.of(), null), ArchiveVerbs::export);

    static final EngineVerb SAVE = new EngineVerb(new CommandSpec("save", List.of(
            "Write images to a tar: an OCI image layout (oci-archive) or docker save's format; or to an OCI",
            "image layout directory (--format oci-dir).", "", "Examples:",
            "  nido save -o busybox.tar busybox", "  nido save --format docker busybox | docker load",
            "  nido save --format oci-dir -o ./layout busybox && skopeo inspect oci:./layout:docker.io/library/busybox:latest"),
            List.of(Opt.value("FILE", "write here instead of standard output", "--output", "-o"),
                    Opt.value("FORMAT", "oci, docker or oci-dir", "--format").withDefault("oci"), ImageVerbs.PLATFORM),
            List.of("IMAGE"), List.of(), "MORE"), ArchiveVerbs::save);

    static final EngineVerb LOAD = new EngineVerb(new CommandSpec("load", List.of(
            "Read images from an oci-archive or docker save tar (plain or compressed), or an OCI image layout",
            "directory.", "", "Examples:",
            "  nido load -i busybox.tar", "  docker save alpine | nido load", "  nido load -i app.tar myapp:1"),
            List.of(Opt.value("FILE", "read this instead of standard input", "--input", "-i")),
            List.of(), List.of("NAME"), null), ArchiveVerbs::load);

    static final List<EngineVerb> ALL = List.of(IMPORT, EXPORT, SAVE, LOAD);

    private ArchiveVerbs() {
    }

    private static InputStream input(String file) throws IOException {
        if (file == null || file.equals("-")) {
            return System.in;
        }
        Path p = Path.of(file);
        if (!Files.isRegularFile(p)) {
            throw new ImageException(file + ": no such file");
        }
        return Files.newInputStream(p);
    }

    private static OutputStream output(String file) throws IOException {
        if (file == null || file.equals("-")) {
            if (System.console() != null) {
                throw new IllegalArgumentException("refusing to write a tar to a terminal: use -o FILE or a pipe");
            }
            return new BufferedOutputStream(System.out, 1 << 20);
        }
        return new BufferedOutputStream(Files.newOutputStream(Path.of(file)), 1 << 20);
    }

    private static int importTar(Parsed a, EngineCli top) throws IOException {
        ContainerConfig config = Changes.apply(ContainerConfig.empty(), a.all("--change"));
        Reference name = Reference.parse(a.positional(1));
        try (InputStream in = input(a.positional(0))) {
            Image img = RootfsImport.run(top.context().images(), in, a.positional(0), name, config);
            System.out.println(img.id());
        }
        return 0;
    }

    private static int export(Parsed a, EngineCli top) throws IOException {
        ImageStore store = top.context().images();
        Image img = store.resolve(a.positional(0), ImageVerbs.platform(a));
        try (OutputStream out = output(a.value("--output"))) {
            RootfsExport.export(Syscalls.real(), store, img, out, System.err::println);
        }
        return 0;
    }

    private static int save(Parsed a, EngineCli top) throws IOException {
        ImageStore store = top.context().images();
        List<Image> images = new ArrayList<>();
        List<String> names = new ArrayList<>(List.of(a.positional(0)));
        names.addAll(a.restFrom(1));
        for (String n : names) {
            images.add(store.resolve(n, ImageVerbs.platform(a)));
        }
        if ("oci-dir".equals(a.value("--format"))) {
            if (a.value("--output") == null) {
                throw new IllegalArgumentException("--format oci-dir needs -o DIR");
            }
            ArchiveSave.saveDirectory(store, images, Path.of(a.value("--output")));
            return 0;
        }
        ArchiveSave.Format format = switch (a.value("--format")) {
            case "oci" -> ArchiveSave.Format.OCI;
            case "docker" -> ArchiveSave.Format.DOCKER;
            default -> throw new IllegalArgumentException("--format " + a.value("--format")
                    + ": expected oci, docker or oci-dir");
        };
        try (OutputStream out = output(a.value("--output"))) {
            ArchiveSave.save(store, images, format, out);
        }
        return 0;
    }

    private static int load(Parsed a, EngineCli top) throws IOException {
        String file = a.value("--input");
        if (file != null && Files.isDirectory(Path.of(file))) {
            for (String n : ArchiveLoad.loadDirectory(top.context().images(), Path.of(file), a.positional(0))) {
                System.out.println("Loaded image: " + n);
            }
            return 0;
        }
        try (InputStream in = input(file)) {
            for (String n : ArchiveLoad.load(top.context().images(), in, file == null ? "standard input" : file,
                    a.positional(0))) {
                System.out.println("Loaded image: " + n);
            }
        }
        return 0;
    }

    /** {@code --change} instructions applied to an image config (the Dockerfile subset docker import takes). */
    static final class Changes {
        private Changes() {
        }

        @SuppressWarnings("unchecked")
        static ContainerConfig apply(ContainerConfig c, List<String> changes) {
            String user = c.user();
            String workdir = c.workingDir();
            List<String> env = new ArrayList<>(c.env());
            List<String> entrypoint = c.entrypoint();
            List<String> cmd = c.cmd();
            Map<String, String> labels = new LinkedHashMap<>(c.labels());
            for (String ch : changes) {
                String t = ch.strip();
                int sp = t.indexOf(' ');
                String op = (sp < 0 ? t : t.substring(0, sp)).toUpperCase(java.util.Locale.ROOT);
                String arg = sp < 0 ? "" : t.substring(sp + 1).strip();
                switch (op) {
                    case "CMD" -> cmd = command(arg, ch);
                    case "ENTRYPOINT" -> entrypoint = command(arg, ch);
                    case "ENV" -> env.add(keyValue(arg, ch));
                    case "WORKDIR" -> workdir = arg;
                    case "USER" -> user = arg;
                    case "LABEL" -> {
                        String kv = keyValue(arg, ch);
                        labels.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
                    }
                    default -> throw new IllegalArgumentException("--change \"" + ch
                            + "\": expected CMD, ENTRYPOINT, ENV, WORKDIR, USER or LABEL");
                }
            }
            return new ContainerConfig(user, c.exposedPorts(), env, entrypoint, cmd, c.volumes(), workdir, labels,
                    c.stopSignal(), c.shell());
        }

        @SuppressWarnings("unchecked")
        private static List<String> command(String arg, String ch) {
            if (arg.startsWith("[")) {
                try {
                    Object o = Json.read(arg.getBytes(StandardCharsets.UTF_8), Object.class, "--change");
                    if (o instanceof List<?> l && l.stream().allMatch(x -> x instanceof String)) {
                        return (List<String>) l;
                    }
                } catch (RuntimeException e) {
                    // reported below
                }
                throw new IllegalArgumentException("--change \"" + ch + "\": expected a JSON array of strings");
            }
            return List.of("/bin/sh", "-c", arg);
        }

        private static String keyValue(String arg, String ch) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                int sp = arg.indexOf(' ');
                if (sp > 0) {
                    return arg.substring(0, sp) + "=" + arg.substring(sp + 1).strip();
                }
                throw new IllegalArgumentException("--change \"" + ch + "\": expected KEY=VALUE");
            }
            return arg;
        }
    }
}
