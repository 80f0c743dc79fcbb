package dev.nido.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A private world for one integration test: a state root, a bundle with a busybox rootfs and
 * the probe, and a unique cgroup parent. {@link #close()} deletes every container, checks and
 * removes what is left, even when the test failed.
 */
final class Sandbox implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static Path sharedRootfs;

    final String tag = "nidoit-" + UUID.randomUUID().toString().substring(0, 8);
    final Path dir;
    final Path root;
    final Path bundle;
    final String cgroupParent = "/" + tag;
    ObjectNode config;

    Sandbox() throws IOException {
        dir = Files.createTempDirectory("nido-it-");
        root = dir.resolve("state");
        bundle = dir.resolve("bundle");
        Files.createDirectories(bundle);
        Files.createSymbolicLink(bundle.resolve("rootfs"), rootfs());
        Cli.Result r = Cli.run(root, "spec", "--bundle", bundle.toString());
        assertThat(r.code()).as(r.toString()).isZero();
        config = (ObjectNode) JSON.readTree(bundle.resolve("config.json").toFile());
        process().put("terminal", false);
        args("/bin/nido-probe", "all");
        ((ObjectNode) config.get("root")).put("path", rootfs().toString());
    }

    /** One busybox + probe rootfs for all tests (read-only use: containers get root.readonly). */
    static synchronized Path rootfs() throws IOException {
        if (sharedRootfs != null) {
            return sharedRootfs;
        }
        Path r = Files.createTempDirectory("nido-it-rootfs-");
        // a container whose root is mapped to an unprivileged host uid must be able to enter it
        Files.setPosixFilePermissions(r, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Cli.Result b = Cli.raw(null, List.of("bash", Cli.HOME.resolve("scripts/busybox-bundle.sh").toString(),
                r.toString(), "true"));
        assertThat(b.code()).as(b.toString()).isZero();
        sharedRootfs = r.resolve("rootfs");
        assertThat(sharedRootfs.resolve("bin/nido-probe")).exists();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(r)));
        return sharedRootfs;
    }

    ObjectNode process() {
        return (ObjectNode) config.get("process");
    }

    ObjectNode linux() {
        return (ObjectNode) config.get("linux");
    }

    Sandbox args(String... args) {
        ArrayNode a = process().putArray("args");
        for (String s : args) {
            a.add(s);
        }
        return this;
    }

    /** Writes config.json with a cgroup under this sandbox's parent. */
    Path write(String id) throws IOException {
        linux().put("cgroupsPath", cgroupParent + "/" + id);
        Files.write(bundle.resolve("config.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(config));
        return bundle;
    }

    Cli.Result cli(String... args) {
        return Cli.run(root, args);
    }

    /**
     * A private, writable copy ({@code cp -a}) of the shared rootfs at {@code dir/name}, made this
     * sandbox's {@code root.path}: for tests that plant files in the image.
     */
    Path privateRootfs(String name) throws IOException {
        Path copy = dir.resolve(name);
        Cli.Result r = Cli.raw(null, List.of("cp", "-a", rootfs().toString(), copy.toString()));
        assertThat(r.code()).as(r.toString()).isZero();
        ((ObjectNode) config.get("root")).put("path", copy.toString());
        return copy;
    }

    /** Mount points of the host's mount namespace at or under any of these directories. */
    static List<String> hostMountsUnder(Path... dirs) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String mountPoint = unescapeMountinfo(line.split(" ")[4]);
            for (Path d : dirs) {
                if (mountPoint.equals(d.toString()) || mountPoint.startsWith(d + "/")) {
                    out.add(mountPoint);
                }
            }
        }
        return out;
    }

    /** proc_pid_mountinfo(5): space, tab, newline and backslash appear as \ooo. */
    private static String unescapeMountinfo(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '\\' && i + 3 < s.length()) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(s.charAt(i));
            }
        }
        return b.toString();
    }

    /** {@code delete --force} of every container in this sandbox's state root. */
    void deleteAllContainers() throws IOException {
        if (Files.isDirectory(root)) {
            try (Stream<Path> s = Files.list(root)) {
                for (Path c : s.toList()) {
                    Cli.run(root, "delete", "--force", c.getFileName().toString());
                }
            }
        }
    }

    /** Every cgroup directory of this sandbox still present on the host. */
    List<Path> leftoverCgroups() throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("/sys/fs/cgroup"))) {
            for (Path h : s.toList()) {
                Path p = h.resolve(tag);
                if (Files.isDirectory(p)) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        deleteAllContainers();
        for (Path cg : leftoverCgroups()) {
            try (Stream<Path> s = Files.walk(cg)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        deleteTree(dir);
    }

    static void deleteTree(Path d) {
        if (!Files.exists(d, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(d)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
    }
}
