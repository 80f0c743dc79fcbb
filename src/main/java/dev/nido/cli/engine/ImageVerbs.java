package dev.nido.cli.engine;

import dev.nido.cli.args.CommandSpec;
import dev.nido.cli.args.Opt;
import dev.nido.cli.args.Parsed;
import dev.nido.image.ImageException;
import dev.nido.image.store.Image;
import dev.nido.image.store.ImageStore;
import dev.nido.image.store.Reference;
import dev.nido.oci.Descriptor;
import dev.nido.oci.Json;
import dev.nido.oci.Platform;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** images, image inspect, image rm, tag, image prune. */
final class ImageVerbs {
    static final Opt FORMAT = Opt.value("FORMAT", "table or json", "--format").withDefault("table");
    static final Opt PLATFORM = Opt.value("OS/ARCH", "platform of a multi-platform image (default: this machine's)",
            "--platform");

    static final EngineVerb IMAGES = new EngineVerb(new CommandSpec("images", List.of(
            "List the images in the store.", "", "Examples:", "  nido images", "  nido images -q",
            "  nido images --format json"),
            List.of(FORMAT, Opt.flag("only image ids", "--quiet", "-q")), List.of(), List.of(), null),
            ImageVerbs::images);

    static final EngineVerb INSPECT = new EngineVerb(new CommandSpec("image-inspect", List.of(
            "Show an image's configuration, layers and names as JSON.", "", "Example:",
            "  nido image inspect busybox"),
            List.of(PLATFORM), List.of("IMAGE"), List.of(), "MORE"), ImageVerbs::inspect);

    static final EngineVerb RM = new EngineVerb(new CommandSpec("image-rm", List.of(
            "Remove image names; data no name uses any more goes with 'nido image prune'.", "", "Example:",
            "  nido image rm busybox:latest"),
            List.of(), List.of("IMAGE"), List.of(), "MORE"), ImageVerbs::rm);

    static final EngineVerb TAG = new EngineVerb(new CommandSpec("tag", List.of(
            "Give an image another name.", "", "Example:", "  nido tag busybox localhost:5000/tools/busybox:1"),
            List.of(PLATFORM), List.of("SOURCE", "TARGET"), List.of(), null), ImageVerbs::tag);

    static final EngineVerb PRUNE = new EngineVerb(new CommandSpec("image-prune", List.of(
            "Delete blobs and partial downloads that no image name uses.", "", "Example:", "  nido image prune"),
            List.of(), List.of(), List.of(), null), ImageVerbs::prune);

    static final List<EngineVerb> ALL = List.of(IMAGES, INSPECT, RM, TAG, PRUNE);

    private ImageVerbs() {
    }

    static Platform platform(Parsed a) {
        String p = a.value("--platform");
        return p == null ? Platform.host() : Platform.parse(p);
    }

    private static int images(Parsed a, EngineCli top) {
        ImageStore store = top.context().images();
        boolean json = "json".equals(a.value("--format"));
        if (!json && !"table".equals(a.value("--format"))) {
            throw new IllegalArgumentException("--format " + a.value("--format") + ": expected table or json");
        }
        Table t = new Table("REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE");
        for (Map.Entry<String, Descriptor> e : store.names().entrySet()) {
            Image img;
            try {
                img = store.load(e.getKey(), e.getValue(), Platform.host());
            } catch (ImageException ex) {
                img = null; // another platform's only, or damaged: still listed
            }
            Reference ref = Reference.parse(e.getKey());
            String repo = ref.familiar().substring(0, ref.familiar().length() - (ref.tag() == null ? 0
                    : ref.tag().length() + 1));
            String id = img == null ? "-" : img.id().shortHex();
            String created = img == null || img.config().created() == null ? "" : img.config().created();
            String size = img == null ? "-" : Table.size(img.size());
            if (a.flag("--quiet")) {
                System.out.println(id);
            } else if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("Repository", repo);
                m.put("Tag", ref.tag() == null ? "<none>" : ref.tag());
                m.put("ID", img == null ? null : img.id().toString());
                m.put("Digest", e.getValue().digest());
                m.put("CreatedAt", created);
                m.put("Size", img == null ? null : img.size());
                System.out.println(new String(Json.writeCompact(m), StandardCharsets.UTF_8));
            } else {
                t.row(repo, ref.tag() == null ? "<none>" : ref.tag(), id, created, size);
            }
        }
        if (!json && !a.flag("--quiet")) {
            t.print(System.out);
        }
        return 0;
    }

    private static List<String> all(Parsed a, int from) {
        List<String> out = new ArrayList<>();
        out.add(a.positional(0));
        out.addAll(a.restFrom(from));
        return out;
    }

    private static int inspect(Parsed a, EngineCli top) {
        ImageStore store = top.context().images();
        List<Object> out = new ArrayList<>();
        for (String name : all(a, 1)) {
            Image img = store.resolve(name, platform(a));
            List<String> tags = new ArrayList<>();
            for (Map.Entry<String, Descriptor> e : store.names().entrySet()) {
                if (e.getValue().digest().equals(img.top().digest())) {
                    tags.add(Reference.parse(e.getKey()).familiar());
                }
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("Id", img.id().toString());
            m.put("RepoTags", tags);
            m.put("Digest", img.top().digest());
            m.put("Manifest", img.manifestDescriptor().digest());
            m.put("Created", img.config().created());
            m.put("Architecture", img.config().architecture());
            m.put("Os", img.config().os());
            m.put("Config", img.config().config());
            m.put("RootFS", Map.of("Type", "layers", "Layers", img.config().diffIds()));
            m.put("Layers", img.layers());
            m.put("Size", img.size());
            m.put("History", img.config().history());
            out.add(m);
        }
        System.out.print(new String(Json.writePretty(out, "    "), StandardCharsets.UTF_8));
        return 0;
    }

    private static int rm(Parsed a, EngineCli top) {
        ImageStore store = top.context().images();
        int code = 0;
        for (String name : all(a, 1)) {
            Reference ref = Reference.parse(name);
            if (store.untag(ref)) {
                System.out.println("Untagged: " + ref.familiar());
            } else {
                System.err.println("nido: image \"" + name + "\" is not in the store (nido images lists what is)");
                code = 1;
            }
        }
        return code;
    }

    private static int tag(Parsed a, EngineCli top) {
        ImageStore store = top.context().images();
        Image img = store.resolve(a.positional(0), platform(a));
        store.tag(Reference.parse(a.positional(1)), img.top());
        return 0;
    }

    private static int prune(Parsed a, EngineCli top) {
        long freed = top.context().images().prune();
        java.util.Set<dev.nido.image.store.Digest> inUse = new java.util.HashSet<>();
        // what image mounts and containers use stays, even when their image's name is gone
        for (java.nio.file.Path users : List.of(MountVerbs.mountsDir(top), top.context().root().resolve("containers"))) {
            if (java.nio.file.Files.isDirectory(users)) {
                try (var s = java.nio.file.Files.list(users)) {
                    s.forEach(d -> {
                        inUse.addAll(dev.nido.image.snapshot.Rootfs.layers(d));
                        inUse.addAll(dev.nido.image.snapshot.Rootfs.layers(d.resolve("fs")));
                    });
                } catch (java.io.IOException e) {
                    throw new ImageException("list " + users + ": " + e.getMessage(), e);
                }
            }
        }
        int snaps = new dev.nido.image.snapshot.Snapshots(top.context().images()).prune(inUse);
        System.out.println("Deleted snapshots: " + snaps);
        System.out.println("Total reclaimed space: " + Table.size(freed) + " of blobs");
        return 0;
    }
}
