package dev.nido.image.build;

import dev.nido.image.ImageException;
import dev.nido.oci.ContainerConfig;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A RUN step in its sandbox: the user looked up in the image's /etc/passwd, the bundle written,
 * {@code nido-runtime run} started as a client. So that names resolve as under docker build, the
 * host's {@code /etc/resolv.conf} is bound read-only over the image's; when the image has none, an
 * empty file is made as the mount point and taken out of the upper directory again afterwards,
 * so it never lands in the layer.
 */
final class RunStep implements Builder.FsWork {
    static final Path HOST_RESOLV_CONF = Path.of("/etc/resolv.conf");

    private final Path launcher;
    private final List<String> args;
    private final ContainerConfig config;
    private final Map<String, String> buildArgs;
    private final OutputStream out;
    private Path madeMountPoint;
    private boolean madeParent;

    RunStep(Path launcher, List<String> args, ContainerConfig config, Map<String, String> buildArgs, OutputStream out) {
        this.launcher = launcher;
        this.args = args;
        this.config = config;
        this.buildArgs = buildArgs;
        this.out = out;
    }

    @Override
    public int apply(StepSandbox sb) {
        Path rootfs = sb.rootfs();
        Users.Ids user = config.user() == null || config.user().isEmpty() ? new Users.Ids(0, 0, List.of())
                : Users.resolve(rootfs, config.user());
        String cwd = config.workingDir() == null || config.workingDir().isEmpty() ? "/" : config.workingDir();
        var spec = RunSpec.create(args, RunSpec.env(config.env(), buildArgs), cwd, user, rootfs,
                resolvConf(sb));
        return sb.run(launcher, spec, out);
    }

    /** The host's resolv.conf if the image can take it at /etc/resolv.conf (making the mount point), else null. */
    private Path resolvConf(StepSandbox sb) {
        if (!Files.isRegularFile(HOST_RESOLV_CONF)) {
            return null;
        }
        Path rootfs = sb.rootfs();
        Path etc = InRoot.resolve(rootfs, "/etc", true);
        if (!Files.isDirectory(etc, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        Path file = etc.resolve("resolv.conf");
        try {
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                Path upperEtc = sb.upper().resolve(rootfs.relativize(etc));
                madeParent = !Files.exists(upperEtc, LinkOption.NOFOLLOW_LINKS);
                Files.createFile(file);
                madeMountPoint = sb.upper().resolve(rootfs.relativize(file));
            } else if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                return null; // a symlink (systemd-resolved's stub) or something else: leave the image's
            }
            return HOST_RESOLV_CONF.toRealPath();
        } catch (IOException e) {
            throw new ImageException("prepare /etc/resolv.conf in " + rootfs + ": " + e.getMessage(), e);
        }
    }

    /** Takes the mount point made for resolv.conf (and the /etc copy-up it caused) out of the upper directory. */
    @Override
    public void afterUnmount(StepSandbox sb) {
        if (madeMountPoint == null) {
            return;
        }
        try {
            if (Files.isRegularFile(madeMountPoint, LinkOption.NOFOLLOW_LINKS) && Files.size(madeMountPoint) == 0) {
                Files.delete(madeMountPoint);
                Path parent = madeMountPoint.getParent();
                if (madeParent && !parent.equals(sb.upper())) {
                    try (var s = Files.list(parent)) {
                        if (s.findAny().isEmpty()) {
                            Files.delete(parent);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new ImageException("clean " + madeMountPoint + ": " + e.getMessage(), e);
        }
    }
}
