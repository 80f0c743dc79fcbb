package dev.nido.image.template;

import dev.nido.oci.ContainerConfig;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A way to make a root filesystem without a registry, as {@code lxc-create -t NAME} does; the
 * result becomes an ordinary one-layer image in the store.
 */
public interface Template {
    String name();

    /** One line for {@code nido template ls}. */
    String summary();

    /** The options it takes, {@code name=what} lines for help. */
    List<String> options();

    /**
     * Fills the empty directory {@code rootfs}; {@code cache} is this template's own directory under
     * the cache root, kept between runs.
     */
    void build(Path rootfs, Map<String, String> options, Path cache, java.util.function.Consumer<String> log);

    /** What a container of the image runs by default. */
    ContainerConfig config(Map<String, String> options);

    /** The default name of the image it makes. */
    default String defaultImageName(Map<String, String> options) {
        return name() + ":latest";
    }
}
