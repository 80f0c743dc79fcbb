package dev.nido.it;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * nido-runtime run by an ordinary user account, created for the test: its default state root,
 * a user namespace mapping container root to that user (and, through newuidmap, to its
 * /etc/subuid range), no cgroup without delegation, and the host's root-only files out of reach.
 */
class RootlessIT {
    private static final String USER = "nidoit" + UUID.randomUUID().toString().substring(0, 6);
    private static long uid;
    private static long gid;
    /** A world-readable copy of the launcher, jar and helper: the checkout may sit under a 0700 home. */
    private static Path install;
    private Path dir;
    private Path bundle;
    private Path state;

    @BeforeAll
    static void createUser() throws IOException {
        Cli.Result r = Cli.raw(null, List.of("useradd", "--no-create-home", "--shell", "/bin/sh", USER));
        assertThat(r.code()).as(r.toString()).isZero();
        uid = Long.parseLong(Cli.raw(null, List.of("id", "-u", USER)).out().strip());
        gid = Long.parseLong(Cli.raw(null, List.of("id", "-g", USER)).out().strip());
        install = Files.createTempDirectory("nido-rootless-install-");
        Files.createDirectories(install.resolve("bin"));
        Files.createDirectories(install.resolve("target"));
        List<String> cp = new ArrayList<>(List.of("cp", "-p", Cli.RUNTIME.toString(), install.resolve("bin").toString()));
        Cli.Result c1 = Cli.raw(null, cp);
        Cli.Result c2 = Cli.raw(null, List.of("sh", "-c", "cp -p \"$0\"/target/nido.jar \"$0\"/target/nido-shim \"$1\"/target/"
                + " && { [ ! -f \"$0\"/target/nido.aot ] || cp -p \"$0\"/target/nido.aot \"$1\"/target/; }"
                + " && chmod -R a+rX \"$1\"", Cli.HOME.toString(), install.toString()));
        assertThat(c1.code()).as(c1.toString()).isZero();
        assertThat(c2.code()).as(c2.toString()).isZero();
    }

    @AfterAll
    static void removeUser() {
        Cli.raw(null, List.of("pkill", "-KILL", "-u", USER));
        Cli.raw(null, List.of("userdel", USER));
        if (install != null) {
            Sandbox.deleteTree(install);
        }
    }

    @BeforeEach
    void bundle() throws IOException {
        dir = Files.createTempDirectory("nido-rootless-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        bundle = dir.resolve("bundle");
        state = dir.resolve("state");
        Files.createDirectories(bundle);
        Files.createDirectories(state);
        chown(state);
        Files.createSymbolicLink(bundle.resolve("rootfs"), Sandbox.rootfs());
        chown(bundle);
        Cli.Result spec = asUser(List.of(), "spec", "--rootless", "--bundle", bundle.toString());
        assertThat(spec.code()).as(spec.toString()).isZero();
    }

    @AfterEach
    void cleanUp() throws IOException {
        for (Path root : List.of(state, dir.resolve("xdg/nido"))) {
            if (Files.isDirectory(root)) {
                try (Stream<Path> s = Files.list(root)) {
                    for (Path c : s.toList()) {
                        asUserRoot(root, "delete", "--force", c.getFileName().toString());
                    }
                }
            }
        }
        Sandbox.deleteTree(dir);
    }

    @Test
    void anOrdinaryUserRunsAContainerWhoseRootIsThatUser() throws IOException {
        config(c -> args(c, "/bin/sh", "-c", "id -u; cat /proc/self/uid_map; hostname"));
        Cli.Result r = asUser(List.of(), "--root", state.toString(), "run", "rl1");
        assertThat(r.code()).as(r.toString()).isZero();
        String[] lines = r.out().strip().split("\n");
        assertThat(lines[0]).isEqualTo("0");
        assertThat(lines[1].trim().split("\\s+")).containsExactly("0", Long.toString(uid), "1");
        assertThat(lines[2]).isEqualTo("nido");
        // no cgroup of its own: nothing is delegated to this user here
        assertThat(Files.exists(Path.of("/sys/fs/cgroup/pids/nido/rl1"))).isFalse();
    }

    @Test
    void rootInsideCannotReadARootOnlyHostFileBoundIn() throws IOException {
        // a directory bound over one the rootfs has (the user cannot create mount points in a root-owned rootfs)
        Path share = Files.createDirectories(dir.resolve("share"));
        Path secret = share.resolve("secret");
        Files.writeString(secret, "s3cret\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(share.resolve("open"), "hello\n");
        config(c -> {
            args(c, "/bin/sh", "-c", "cat /var/open; cat /var/secret; echo rc=$?");
            bind(c, share, "/var");
        });
        Cli.Result r = asUser(List.of(), "--root", state.toString(), "run", "rl2");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("hello").doesNotContain("s3cret").contains("rc=1");
        assertThat(r.err()).contains("Permission denied");
    }

    @Test
    void theDefaultStateRootIsUnderXdgRuntimeDir() throws IOException {
        Path xdg = dir.resolve("xdg");
        Files.createDirectories(xdg);
        chown(xdg);
        config(c -> args(c, "/bin/sleep", "30"));
        Cli.Result r = asUser(List.of("XDG_RUNTIME_DIR=" + xdg), "run", "-d", "rl3");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(xdg.resolve("nido/rl3/state.json")).exists();
        Cli.Result list = asUser(List.of("XDG_RUNTIME_DIR=" + xdg), "list", "-q");
        assertThat(list.out().strip()).isEqualTo("rl3");
        Cli.Result del = asUser(List.of("XDG_RUNTIME_DIR=" + xdg), "delete", "--force", "rl3");
        assertThat(del.code()).as(del.toString()).isZero();
        assertThat(xdg.resolve("nido/rl3")).doesNotExist();
    }

    @Test
    void withoutXdgRuntimeDirTheMessageSaysWhatToSet() {
        Cli.Result r = asUser(List.of(), "list");
        // runuser leaves XDG_RUNTIME_DIR unset; /run/user/UID does not exist for this fresh user
        assertThat(r.code()).as(r.toString()).isNotZero();
        assertThat(r.err()).contains("XDG_RUNTIME_DIR").contains("--root").doesNotContain("Exception");
    }

    @Test
    void limitsWithoutADelegatedCgroupAreRefusedClearly() throws IOException {
        config(c -> {
            args(c, "/bin/true");
            ObjectNode res = ((ObjectNode) c.get("linux")).putObject("resources");
            res.putObject("memory").put("limit", 64L << 20);
        });
        Cli.Result r = asUser(List.of(), "--root", state.toString(), "run", "rl4");
        assertThat(r.code()).as(r.toString()).isNotZero();
        assertThat(r.err()).contains("linux.resources.memory").contains("delegated").doesNotContain("Exception");
        assertThat(state.resolve("rl4")).doesNotExist();
    }

    @Test
    void aSpecWithoutAUserNamespaceIsRefusedWithTheWayOut() throws IOException {
        config(c -> {
            args(c, "/bin/true");
            ArrayNode ns = ((ObjectNode) c.get("linux")).putArray("namespaces");
            ns.addObject().put("type", "pid");
            ns.addObject().put("type", "mount");
            ns.addObject().put("type", "uts");
            ((ObjectNode) c.get("linux")).remove("uidMappings");
            ((ObjectNode) c.get("linux")).remove("gidMappings");
        });
        Cli.Result r = asUser(List.of(), "--root", state.toString(), "run", "rl7");
        assertThat(r.code()).as(r.toString()).isNotZero();
        assertThat(r.err()).contains("linux.namespaces").contains("spec --rootless").doesNotContain("Exception");
        assertThat(state.resolve("rl7")).doesNotExist();
    }

    @Test
    void aMapOfTheUsersSubordinateIdsGoesThroughNewuidmap() throws IOException {
        long[] sub = subordinate("/etc/subuid");
        long[] subg = subordinate("/etc/subgid");
        assertThat(sub).as("useradd gave %s a range in /etc/subuid", USER).isNotNull();
        assertThat(subg).isNotNull();
        config(c -> {
            args(c, "/bin/sh", "-c", "cat /proc/self/uid_map /proc/self/gid_map");
            ObjectNode linux = (ObjectNode) c.get("linux");
            maps(linux.putArray("uidMappings"), uid, sub);
            maps(linux.putArray("gidMappings"), gid, subg);
        });
        Cli.Result r = asUser(List.of(), "--root", state.toString(), "run", "rl5");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).containsPattern("\\s1\\s+" + sub[0] + "\\s+" + sub[1])
                .containsPattern("\\s1\\s+" + subg[0] + "\\s+" + subg[1]);
        // ids not delegated to the user are refused by newuidmap, with the reason
        config(c -> {
            ObjectNode linux = (ObjectNode) c.get("linux");
            maps(linux.putArray("uidMappings"), uid, new long[] {1, 1000});
        });
        Cli.Result bad = asUser(List.of(), "--root", state.toString(), "run", "rl6");
        assertThat(bad.code()).as(bad.toString()).isNotZero();
        assertThat(bad.err()).contains("linux.uidMappings").contains("/etc/subuid").doesNotContain("Exception");
        assertThat(state.resolve("rl6")).doesNotExist();
    }

    private static void maps(ArrayNode a, long own, long[] range) {
        a.addObject().put("containerID", 0).put("hostID", own).put("size", 1);
        a.addObject().put("containerID", 1).put("hostID", range[0]).put("size", range[1]);
    }

    private static long[] subordinate(String file) throws IOException {
        for (String l : Files.readAllLines(Path.of(file))) {
            String[] f = l.split(":");
            if (f.length == 3 && f[0].equals(USER)) {
                return new long[] {Long.parseLong(f[1]), Math.min(Long.parseLong(f[2]), 65536)};
            }
        }
        return null;
    }

    private interface Edit {
        void apply(ObjectNode config);
    }

    private void config(Edit e) throws IOException {
        Path f = bundle.resolve("config.json");
        ObjectNode c = (ObjectNode) Sandbox.JSON.readTree(f.toFile());
        ((ObjectNode) c.get("process")).put("terminal", false);
        ((ObjectNode) c.get("root")).put("path", Sandbox.rootfs().toString());
        e.apply(c);
        Files.write(f, Sandbox.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(c));
    }

    private static void args(ObjectNode c, String... args) {
        ArrayNode a = ((ObjectNode) c.get("process")).putArray("args");
        for (String s : args) {
            a.add(s);
        }
    }

    private static void bind(ObjectNode c, Path source, String dest) {
        ObjectNode m = ((ArrayNode) c.get("mounts")).addObject();
        m.put("destination", dest).put("type", "none").put("source", source.toString());
        m.putArray("options").add("bind").add("ro");
    }

    private void chown(Path p) {
        Cli.Result r = Cli.raw(null, List.of("chown", "-R", USER + ":", p.toString()));
        assertThat(r.code()).as(r.toString()).isZero();
    }

    /** nido-runtime run as the test user, in the bundle, with extra environment. */
    private Cli.Result asUser(List<String> env, String... args) {
        List<String> cmd = new ArrayList<>(List.of("runuser", "-u", USER, "--", "env", "-u", "XDG_RUNTIME_DIR",
                "HOME=" + dir));
        cmd.addAll(env);
        cmd.add("sh");
        cmd.add("-c");
        cmd.add("cd \"$0\" && exec \"$@\"");
        cmd.add(bundle.toString());
        cmd.add(install.resolve("bin/nido-runtime").toString());
        cmd.addAll(List.of(args));
        return Cli.raw(null, cmd);
    }

    private void asUserRoot(Path root, String... args) {
        List<String> all = new ArrayList<>(List.of("--root", root.toString()));
        all.addAll(List.of(args));
        asUser(List.of(), all.toArray(String[]::new));
    }
}
