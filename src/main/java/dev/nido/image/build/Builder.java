package dev.nido.image.build;

import dev.nido.image.ImageException;
import dev.nido.image.snapshot.Snapshots;
import dev.nido.image.store.Digest;
import dev.nido.image.store.Image;
import dev.nido.image.store.ImageStore;
import dev.nido.image.store.Reference;
import dev.nido.image.store.StoreLock;
import dev.nido.image.template.TemplateRunner;
import dev.nido.image.template.Templates;
import dev.nido.linux.Syscalls;
import dev.nido.oci.ContainerConfig;
import dev.nido.oci.Descriptor;
import dev.nido.oci.ImageConfig;
import dev.nido.oci.ImageManifest;
import dev.nido.oci.Json;
import dev.nido.oci.MediaTypes;
import dev.nido.oci.Platform;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Runs a Containerfile against the store, as Docker's classic builder does: every step after
 * FROM makes an image (a layer when it changed files, else an {@code empty_layer} history entry),
 * found in the {@link BuildCache} when the same step ran on the same parent before. RUN steps run
 * in {@code nido-runtime} as a separate program; COPY, ADD and WORKDIR write into an overlay of the
 * current image; the overlay's upper directory is the new layer. Intermediate images have no
 * name; the result gets the {@code -t} names at the end. Blob writes hold the store's
 * {@link ImageStore#writing()} lock from the first step after FROM to the last tag, and every
 * sandbox is removed on the way out, on failure, and on SIGINT/SIGTERM.
 */
public final class Builder {
    /** What a filesystem-changing step does in its sandbox. */
    interface FsWork {
        /** Returns 0, or the exit status that fails the build. */
        int apply(StepSandbox sandbox);

        /** After the overlay is unmounted, before its upper directory is read. */
        default void afterUnmount(StepSandbox sandbox) {
        }
    }

    private final ImageStore store;
    private final BuildOptions opt;
    private final PrintStream out;
    private final Syscalls sys;
    private final Snapshots snapshots;
    private final BuildCache cache;
    private final Path buildDir;
    private BuildContext context;
    private Path launcher;
    private int total;

    private Builder(ImageStore store, BuildOptions opt, Syscalls sys) {
        this.store = store;
        this.opt = opt;
        this.out = opt.out();
        this.sys = sys;
        this.snapshots = new Snapshots(store);
        if (snapshots.kind() != Snapshots.Kind.OVERLAY) {
            // a step's layer is its overlay's upper directory: with copies there is none
            throw new dev.nido.image.ImageException("nido build needs overlayfs snapshots: run it as root on a"
                    + " kernel with overlay (and without NIDO_SNAPSHOTTER=copy)");
        }
        this.cache = new BuildCache(store);
        this.buildDir = store.root().resolve("build");
    }

    /** Builds; a failed RUN is a result, anything else wrong an {@link ImageException}. */
    public static BuildResult build(ImageStore store, BuildOptions options) {
        return new Builder(store, options, Syscalls.real()).run();
    }

    /** The Containerfile used for {@code context} when {@code -f} is not given. */
    public static Path defaultFile(Path context) {
        Path c = context.resolve("Containerfile");
        return Files.isRegularFile(c) ? c : context.resolve("Dockerfile");
    }

    private BuildResult run() {
        Path cf = opt.file() != null ? opt.file() : defaultFile(opt.context());
        if (!Files.isDirectory(opt.context())) {
            throw new ImageException("build context " + opt.context() + ": not a directory");
        }
        if (!Files.isRegularFile(cf)) {
            throw new ImageException(cf + ": no such file (give the Containerfile with -f, or put a Containerfile"
                    + " or Dockerfile in the context)");
        }
        Containerfile file = Containerfile.parse(read(cf), display(cf));
        context = BuildContext.open(opt.context());
        total = file.instructions().size();
        // SIGINT/SIGTERM: the JVM runs this hook (a normal exit halts without hooks, see Main)
        Thread hook = new Thread(this::cleanUp, "nido-build-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return steps(file.instructions(), new BuildState(opt.buildArgs()));
        } finally {
            cleanUp();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down: the hook runs anyway
            }
        }
    }

    /** Deletes running step containers, unmounts and removes sandboxes, then ROOT/build if empty. */
    private void cleanUp() {
        StepSandbox.closeAll();
        try {
            Files.deleteIfExists(buildDir);
        } catch (IOException e) {
            // another build uses it
        }
    }

    private BuildResult steps(List<Instruction> all, BuildState st) {
        int i = 0;
        for (; i < all.size(); i++) { // ARGs and the FROM: before the lock (a template takes it itself)
            Instruction ins = all.get(i);
            header(i, ins);
            guarded(ins, () -> {
                if (ins.keyword().equals("ARG")) {
                    arg(ins, st, true);
                } else {
                    from(ins, st);
                }
                return null;
            });
            if (ins.keyword().equals("FROM")) {
                break;
            }
        }
        try (StoreLock writing = store.writing()) {
            for (i++; i < all.size(); i++) {
                Instruction ins = all.get(i);
                header(i, ins);
                String step = "Step " + (i + 1) + "/" + total + " " + ins.source();
                BuildResult failed = guarded(ins, () -> step(ins, st, step));
                if (failed != null) {
                    return failed;
                }
            }
            for (String unused : st.unused()) {
                out.println("[Warning] --build-arg " + unused + " was not used by any ARG of the Containerfile");
            }
            Image result = st.image != null ? st.image
                    : ImageWriter.commitStep(store, null, null, st.config, "FROM scratch", st.author);
            out.println("Successfully built " + result.id().shortHex());
            for (Reference tag : opt.tags()) {
                store.tag(tag, result.top());
                out.println("Successfully tagged " + tag.familiar());
            }
            return BuildResult.built(result);
        }
    }

    private void header(int i, Instruction ins) {
        out.println("Step " + (i + 1) + "/" + total + " : " + ins.source());
    }

    private interface Body {
        BuildResult run();
    }

    /** Runs a step, naming its FILE:LINE in any error. */
    private static BuildResult guarded(Instruction ins, Body body) {
        try {
            return body.run();
        } catch (IllegalArgumentException | ImageException e) {
            String m = String.valueOf(e.getMessage());
            if (m.startsWith(ins.where())) {
                throw (RuntimeException) e;
            }
            throw new ImageException(ins.where() + ": " + (m.startsWith(ins.keyword() + " ") ? m
                    : ins.keyword() + ": " + m), e);
        }
    }

    private BuildResult step(Instruction ins, BuildState st, String step) {
        switch (ins.keyword()) {
            case "ARG" -> {
                arg(ins, st, false);
                out.println(" ---> " + (st.image == null ? "(scratch)" : st.image.id().shortHex()));
                return null;
            }
            case "RUN" -> {
                List<String> args = ConfigSteps.command(ins, st.config);
                String text = "RUN " + (ins.isJson() ? ConfigSteps.json(args) : ins.args());
                if (launcher == null) {
                    launcher = opt.runtime() != null ? opt.runtime() : RuntimeLauncher.find();
                }
                RunStep run = new RunStep(launcher, args, st.config, st.runArgs(), out);
                return execute(text, st.argsKey(), st.config, st, run, step, true);
            }
            case "COPY", "ADD" -> {
                return copy(ins, st, step);
            }
            case "WORKDIR" -> {
                ConfigSteps.Change c = ConfigSteps.apply(ins, st);
                String dir = c.config().workingDir();
                String user = st.config.user();
                FsWork mkdir = sb -> {
                    Users.Ids owner = user == null || user.isEmpty() ? null : Users.resolve(sb.rootfs(), user);
                    InRoot.mkdirs(sb.rootfs(), dir, owner == null ? null
                            : p -> sys.lchown(p, (int) owner.uid(), (int) owner.gid()));
                    return 0;
                };
                return execute(c.text(), "", c.config(), st, mkdir, step, false);
            }
            default -> {
                ConfigSteps.Change c = ConfigSteps.apply(ins, st);
                return execute(c.text(), "", c.config(), st, null, step, false);
            }
        }
    }

    private BuildResult copy(Instruction ins, BuildState st, String step) {
        List<String> words = ins.isJson() ? ins.json().stream().map(w -> Words.expand(w, st.vars())).toList()
                : Words.split(ins.args(), st.vars());
        if (words.size() < 2) {
            throw new IllegalArgumentException(ins.keyword() + " needs a source and a destination");
        }
        List<String> specs = words.subList(0, words.size() - 1);
        String dest = words.getLast();
        boolean add = ins.keyword().equals("ADD");
        List<BuildContext.Source> sources = new java.util.ArrayList<>();
        boolean many = specs.size() > 1;
        for (String s : specs) {
            if (s.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*") || s.startsWith("git@")) {
                throw new IllegalArgumentException(add ? "ADD " + s + ": URLs are not supported (download the file"
                        + " into the build context first, or RUN wget/curl)" : "COPY " + s
                        + ": COPY takes files of the build context, not URLs");
            }
            List<BuildContext.Source> found = context.sources(s);
            many |= found.size() > 1 || s.chars().anyMatch(c -> c == '*' || c == '?' || c == '[');
            sources.addAll(found);
        }
        String chown = ins.flags().containsKey("chown") ? Words.expand(ins.flags().get("chown"), st.vars()) : null;
        int chmod = chmod(ins.flags().get("chmod"), st);
        String absDest = (dest.startsWith("/") ? "" : ConfigSteps.workdir(".", st.config.workingDir()) + "/") + dest;
        boolean manySources = many;
        StringBuilder text = new StringBuilder(ins.keyword());
        if (chown != null) {
            text.append(" --chown=").append(chown);
        }
        if (chmod >= 0) {
            text.append(" --chmod=").append(Integer.toOctalString(chmod));
        }
        specs.forEach(s -> text.append(' ').append(s));
        text.append(' ').append(dest);
        CopyStep cp = new CopyStep(sys, context, add, out::println);
        FsWork work = sb -> {
            cp.apply(sb.rootfs(), sources, absDest.replaceAll("/{2,}", "/"), manySources, chown, chmod);
            return 0;
        };
        return execute(text.toString(), context.digest(sources), st.config, st, work, step, false);
    }

    private static int chmod(String flag, BuildState st) {
        if (flag == null) {
            return -1;
        }
        String v = Words.expand(flag, st.vars());
        if (!v.matches("[0-7]{3,4}")) {
            throw new IllegalArgumentException("--chmod=" + v + ": expected octal permission bits such as 755");
        }
        return Integer.parseInt(v, 8);
    }

    /**
     * Runs one step: from the cache, or by {@code work} in a sandbox (null: config only) and
     * committed on the current image.
     */
    private BuildResult execute(String text, String extra, ContainerConfig config, BuildState st, FsWork work,
                                String step, boolean container) {
        String key = BuildCache.key(st.parentId(), text, extra);
        Image hit = opt.noCache() ? null : cache.lookup(key);
        if (hit != null) {
            out.println(" ---> Using cache");
            adopt(hit, st);
            return null;
        }
        ImageWriter.Layer layer = null;
        if (work != null) {
            try (StepSandbox sb = StepSandbox.open(sys, snapshots, base(st), buildDir, out::println)) {
                if (container) {
                    out.println(" ---> Running in " + sb.id());
                }
                int status = work.apply(sb);
                if (status != 0) {
                    return BuildResult.failed(step, status);
                }
                sb.unmount();
                work.afterUnmount(sb);
                layer = ImageWriter.layerOfUpper(store, sb.upper());
                if (container) {
                    out.println("Removing intermediate container " + sb.id());
                }
            }
        }
        Image img = ImageWriter.commitStep(store, st.image, layer, config, text, st.author);
        cache.put(key, img);
        adopt(img, st);
        return null;
    }

    private void adopt(Image img, BuildState st) {
        st.image = img;
        st.config = configOf(img);
        out.println(" ---> " + img.id().shortHex());
    }

    private static ContainerConfig configOf(Image img) {
        return img.config().config() == null ? ContainerConfig.empty() : img.config().config();
    }

    /** The current image, or an empty one (no layers) to mount for FROM scratch. */
    private static Image base(BuildState st) {
        if (st.image != null) {
            return st.image;
        }
        Platform p = Platform.host();
        ImageConfig cfg = new ImageConfig(null, null, p.architecture(), p.os(), p.variant(), st.config,
                new ImageConfig.RootFs("layers", List.of()), List.of());
        byte[] json = Json.writeCompact(cfg);
        Descriptor c = Descriptor.of(MediaTypes.OCI_CONFIG, Digest.of(json).toString(), json.length);
        return new Image(null, null, null, ImageManifest.oci(c, List.of(), Map.of()), cfg);
    }

    private void arg(Instruction ins, BuildState st, boolean beforeFrom) {
        for (String w : Words.split(ins.args(), beforeFrom ? st.globalArgs::get : st.vars())) {
            int eq = w.indexOf('=');
            String name = eq < 0 ? w : w.substring(0, eq);
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException("ARG " + w + ": expected NAME or NAME=default");
            }
            String value = st.given.containsKey(name) ? st.given.get(name)
                    : eq >= 0 ? w.substring(eq + 1) : beforeFrom ? null : st.globalArgs.get(name);
            (beforeFrom ? st.globalArgs : st.args).put(name, value);
            st.used.add(name);
        }
    }

    private void from(Instruction ins, BuildState st) {
        List<String> words = Words.split(ins.args(), st.globalArgs::get);
        if (words.isEmpty() || words.getFirst().isEmpty()) {
            throw new IllegalArgumentException("FROM " + ins.args() + ": the image name is empty (is the ARG set?)");
        }
        String name = words.getFirst();
        if (name.equalsIgnoreCase("scratch")) {
            st.image = null;
            st.config = ContainerConfig.empty();
            out.println(" ---> (scratch: no layers)");
            return;
        }
        Image img;
        if (name.startsWith("template:")) {
            img = template(name.substring("template:".length()));
        } else {
            try {
                img = store.resolve(name, Platform.host());
            } catch (ImageException e) {
                if (!e.getMessage().contains("is not in the store")) {
                    throw e;
                }
                throw new ImageException("FROM " + name + ": no such image in the store " + store.root()
                        + " (nido build does not pull: run 'nido pull " + name + "' first, or use FROM template:busybox)", e);
            }
        }
        st.image = img;
        st.config = configOf(img);
        out.println(" ---> " + img.id().shortHex());
    }

    /** {@code localhost/nido-template/NAME:latest}, made from the template the first time. */
    private Image template(String name) {
        Reference ref = Reference.parse("localhost/nido-template/" + name + ":latest");
        if (store.names().containsKey(ref.toString())) {
            return store.resolve(ref.toString(), Platform.host());
        }
        out.println(" ---> making " + ref.familiar() + " from the nido template " + name);
        return TemplateRunner.create(store, Templates.byName(name), Map.of(), ref.toString(), opt.templateCache(),
                out::println);
    }

    private String display(Path cf) {
        Path ctx = opt.context().toAbsolutePath().normalize();
        Path f = cf.toAbsolutePath().normalize();
        return f.startsWith(ctx) ? ctx.relativize(f).toString() : cf.toString();
    }

    private static String read(Path cf) {
        try {
            return Files.readString(cf);
        } catch (IOException e) {
            throw new ImageException("read " + cf + ": " + e.getMessage(), e);
        }
    }
}
