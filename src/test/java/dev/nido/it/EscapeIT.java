package dev.nido.it;

import com.fasterxml.jackson.databind.node.ArrayNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Regression tests named after escapes that happened to other runtimes (docs/security.md): each
 * plants in the image, or asks the runtime for, what the exploit did, and checks from the host
 * that nothing outside the container was reached. Images are private copies of the shared rootfs;
 * "host" directories are fresh temporary directories that the container must never touch.
 */
class EscapeIT {
    static final Path JAVA = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");
    static final Path SHIM = Cli.HOME.resolve("target/nido-shim");

    Sandbox sb;
    final List<Path> hostDirs = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        sb = new Sandbox();
    }

    /** Containers first; then a mount left on the host is reported and, with what it covers, left alone. */
    @AfterEach
    void tearDown() throws IOException {
        sb.deleteAllContainers();
        List<Path> mine = new ArrayList<>(hostDirs);
        mine.add(sb.dir);
        List<String> leaked = Sandbox.hostMountsUnder(mine.toArray(Path[]::new));
        if (leaked.isEmpty()) {
            sb.close();
            hostDirs.forEach(Sandbox::deleteTree);
        }
        assertThat(leaked).as("host mounts under the test's directories (left in place: deleting through "
                + "a mount could delete what it shows)").isEmpty();
    }

    Path newHostDir(String prefix) throws IOException {
        Path d = Files.createTempDirectory(prefix);
        hostDirs.add(d);
        return d;
    }

    static void ok(Cli.Result r) {
        assertThat(r.code()).as(r.toString()).isZero();
    }

    int initPid(String id) throws IOException {
        Cli.Result r = sb.cli("state", id);
        ok(r);
        return Sandbox.JSON.readTree(r.out()).get("pid").asInt();
    }

    String status(String id) throws IOException {
        Cli.Result r = sb.cli("state", id);
        ok(r);
        return Sandbox.JSON.readTree(r.out()).get("status").asText();
    }

    static String link(Path p) {
        try {
            return Files.readSymbolicLink(p).toString();
        } catch (IOException e) {
            return "";
        }
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }

    static String sha256(InputStream in) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(in.readAllBytes()));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    static Map<Path, String> sha256(List<Path> files) throws IOException {
        Map<Path, String> out = new LinkedHashMap<>();
        for (Path f : files) {
            try (InputStream in = Files.newInputStream(f)) {
                out.put(f, sha256(in));
            }
        }
        return out;
    }

    /** The directories are empty and nothing is mounted on or under them, on the host. */
    static void assertHostUntouched(Path... dirs) throws IOException {
        for (Path d : dirs) {
            try (Stream<Path> s = Files.list(d)) {
                assertThat(s.toList()).as("host directory " + d).isEmpty();
            }
        }
        assertThat(Sandbox.hostMountsUnder(dirs)).as("host mounts").isEmpty();
    }

    /** The path inside an image that an absolute host path names there. */
    static Path inImage(Path rootfs, Path hostPath) {
        return rootfs.resolve(hostPath.toString().substring(1));
    }

    // ---- CVE-2019-5736: the container rewrites the runtime through /proc/PID/exe ----

    @Test
    void cve_2019_5736_procSelfExeCannotOverwriteRuntime() throws Exception {
        List<Path> runtime = List.of(SHIM, JAVA.toRealPath(), Cli.RUNTIME);
        Map<Path, String> before = sha256(runtime);
        Path rootfs = sb.privateRootfs("rootfs");
        Path evil = rootfs.resolve("bin/evil");
        // The kernel runs a script's interpreter, here the exec'ing process's own binary: what the
        // exploit used to get the runtime executed inside the container, its /proc/PID/exe in reach.
        Files.writeString(evil, "#!/proc/self/exe\n");
        Files.setPosixFilePermissions(evil, PosixFilePermissions.fromString("rwxr-xr-x"));
        String id = sb.tag + "-5736";
        sb.args("/bin/nido-probe", "sleep", "1000").write(id);
        ok(sb.cli("run", "-d", "--bundle", sb.bundle.toString(), id));
        Path report = Path.of("/proc/" + initPid(id) + "/root/dev/shm/exe-watch");
        Path watcherPid = sb.dir.resolve("watcher.pid");
        ok(sb.cli("exec", "-d", "--pid-file", watcherPid.toString(), id, "/bin/nido-probe", "exe-watch", "60",
                "/dev/shm/exe-watch"));
        long watcher = Long.parseLong(Files.readString(watcherPid).strip());
        LifecycleIT.waitFor(() -> read(report).contains("exe-watch.ready="));

        List<Cli.Result> evils = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            evils.add(sb.cli("exec", id, "/bin/evil"));
        }
        assertExecHelperIsASealedMemfd(id);

        ProcessHandle.of(watcher).ifPresent(ProcessHandle::destroy);
        LifecycleIT.waitFor(() -> read(report).contains("exe-watch.scans="));
        String log = read(report);
        List<String> lines = log.lines().toList();
        assertThat(lines).as("the watcher saw an exec helper (else this test proves nothing)\n%s\n%s", log, evils)
                .anyMatch(l -> l.startsWith("exe-watch=") && l.endsWith(" /memfd:nido-shim (deleted)"));
        assertThat(lines).as("opened for writing: anything but the sealed memfd\n" + log)
                .noneMatch(l -> l.matches("exe-watch=\\d+ \\w+ 0 .*") && !l.contains(" 0 /memfd:"));
        assertThat(lines).as("a write that succeeded\n" + log)
                .noneMatch(l -> l.matches("exe-watch\\.write=\\d+ \\w+ 0"));
        assertThat(lines).as(log).anyMatch(l -> l.startsWith("exe-watch.scans=") && l.endsWith(" written=0"));
        assertThat(status(id)).isEqualTo("running");
        assertThat(sha256(runtime)).isEqualTo(before);
    }

    /**
     * From the host: a live exec helper runs from a memfd copy of target/nido-shim that cannot be
     * opened for writing, and that an fd held on it cannot write to after the helper exits (the
     * exploit's second step, once ETXTBSY no longer applies).
     */
    void assertExecHelperIsASealedMemfd(String id) throws Exception {
        Process exec = Cli.start(sb.root, "exec", id, "/bin/nido-probe", "sleep", "2");
        try {
            long[] helper = {0};
            // the helper is the runtime's own child (its child, in the container, execs the probe)
            LifecycleIT.waitFor(() -> exec.children().anyMatch(h -> {
                helper[0] = h.pid();
                return link(Path.of("/proc/" + h.pid() + "/exe")).startsWith("/memfd:");
            }));
            Path exe = Path.of("/proc/" + helper[0] + "/exe");
            assertThat(link(exe)).isEqualTo("/memfd:nido-shim (deleted)");
            assertThatThrownBy(() -> FileChannel.open(exe, StandardOpenOption.WRITE).close())
                    .as("open %s for writing while the helper runs", exe).isInstanceOf(IOException.class);
            Set<String> fdsBefore = memfdFds();
            try (FileChannel ro = FileChannel.open(exe, StandardOpenOption.READ)) {
                assertThat(sha256(Channels.newInputStream(ro))).as("the memfd holds target/nido-shim")
                        .isEqualTo(sha256(List.of(SHIM)).get(SHIM));
                Set<String> held = memfdFds();
                held.removeAll(fdsBefore);
                assertThat(held).hasSize(1);
                assertThat(exec.waitFor(20, TimeUnit.SECONDS)).isTrue();
                LifecycleIT.waitFor(() -> ProcessHandle.of(helper[0]).isEmpty());
                Path reopen = Path.of("/proc/self/fd/" + held.iterator().next());
                assertThat(link(reopen)).startsWith("/memfd:nido-shim");
                assertThatThrownBy(() -> {
                    try (FileChannel w = FileChannel.open(reopen, StandardOpenOption.WRITE)) {
                        w.write(ByteBuffer.wrap("nido".getBytes(StandardCharsets.US_ASCII)));
                    }
                }).as("write through a held fd after the helper exited").isInstanceOf(IOException.class);
            }
        } finally {
            exec.destroyForcibly();
        }
    }

    /** This JVM's fds that are memfd copies of the helper. */
    static Set<String> memfdFds() throws IOException {
        Set<String> out = new TreeSet<>();
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            s.filter(p -> link(p).startsWith("/memfd:nido-shim")).forEach(p -> out.add(p.getFileName().toString()));
        }
        return out;
    }

    // ---- CVE-2024-21626: a runtime fd left open, used as the working directory, reaches the host ----

    @Test
    void cve_2024_21626_noRuntimeFdReachesContainer() throws Exception {
        String id = sb.tag + "-21626";
        sb.args("/bin/nido-probe", "try", "fds", "cwd").write(id + "-init");
        Cli.Result init = sb.cli("run", "--bundle", sb.bundle.toString(), id + "-init");
        ok(init);
        assertThat(init.line("fds")).as(init.toString()).isEqualTo("0,1,2");
        assertThat(init.line("cwd")).isEqualTo("/");

        sb.args("/bin/nido-probe", "sleep", "1000").write(id);
        ok(sb.cli("run", "-d", "--bundle", sb.bundle.toString(), id));
        Cli.Result e = sb.cli("exec", id, "/bin/nido-probe", "try", "fds", "cwd");
        ok(e);
        assertThat(e.line("fds")).as(e.toString()).isEqualTo("0,1,2");
        int control = execDetached(id, "/tmp"); // the check itself, on a cwd that must work
        assertThat(control).as("exec -d --cwd /tmp").isPositive();
        assertCwdInside(control, "/tmp");

        for (int n = 3; n <= 12; n++) {
            String cwd = "/proc/self/fd/" + n;
            Cli.Result r = sb.cli("exec", "--cwd", cwd, id, "/bin/nido-probe", "cwd");
            if (r.code() != 0) {
                BadInputIT.assertCleanError(r, cwd);
                continue;
            }
            assertThat(r.line("cwd")).as(r.toString()).startsWith("/"); // getcwd(3): no "(unreachable)"
            assertCwdInside(execDetached(id, cwd), null);
        }
        Cli.Result ps = sb.cli("ps", "--format", "json", id);
        assertThat(Sandbox.JSON.readTree(ps.out()).size()).as("no stray exec process: " + ps.out()).isEqualTo(1);
    }

    @Test
    void cve_2024_21626_processCwdOfALeakedFdStaysInside() throws Exception {
        sb.args("/bin/nido-probe", "sleep", "1000");
        for (int n = 3; n <= 12; n++) {
            String cwd = "/proc/self/fd/" + n;
            String id = sb.tag + "-cwd" + n;
            sb.process().put("cwd", cwd);
            sb.write(id);
            Cli.Result r = sb.cli("create", "--bundle", sb.bundle.toString(), id);
            if (r.code() != 0) {
                BadInputIT.assertCleanError(r, cwd);
                assertThat(sb.root.resolve(id)).doesNotExist();
                continue;
            }
            assertCwdInside(initPid(id), null); // the init changed directory before create returned
            ok(sb.cli("delete", "--force", id));
        }
    }

    /** exec -d a sleeper with this cwd: its host pid, or 0 after a clean refusal. */
    int execDetached(String id, String cwd) throws IOException {
        Path pidFile = sb.dir.resolve("exec.pid");
        Files.deleteIfExists(pidFile);
        Cli.Result r = sb.cli("exec", "-d", "--pid-file", pidFile.toString(), "--cwd", cwd, id,
                "/bin/nido-probe", "sleep", "30");
        if (r.code() != 0) {
            BadInputIT.assertCleanError(r, cwd);
            return 0;
        }
        return Integer.parseInt(Files.readString(pidFile).strip());
    }

    /**
     * From the host: /proc/PID/cwd is the same directory as /proc/PID/root/X, where X is the
     * path the kernel gives for it (a directory outside the container's root would be reported
     * by its host path, which does not lead to it from inside). The process is then killed.
     */
    static void assertCwdInside(int pid, String expected) throws IOException {
        if (pid == 0) {
            return;
        }
        try {
            Path cwd = Path.of("/proc/" + pid + "/cwd");
            String seen = link(cwd);
            if (expected != null) {
                assertThat(seen).isEqualTo(expected);
            }
            Path inside = Path.of("/proc/" + pid + "/root" + seen);
            // isSameFile: stat(2) of both, same st_dev and st_ino
            assertThat(Files.isSameFile(cwd, inside)).as("cwd %s of pid %d is inside its root", seen, pid).isTrue();
        } finally {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    // ---- CVE-2021-30465: a symlink in the image turns a mount destination into a host path ----

    /** The spec's mounts plus a tmpfs on each destination. */
    void tmpfsMounts(ArrayNode base, String... destinations) {
        ArrayNode m = sb.config.putArray("mounts");
        m.addAll(base.deepCopy());
        for (String d : destinations) {
            m.addObject().put("destination", d).put("type", "tmpfs").put("source", "tmpfs");
        }
    }

    @Test
    void cve_2021_30465_mountDestinationSymlinkStaysInRootfs() throws IOException {
        Path abs = newHostDir("nido-it-host-abs-");
        Path rel = newHostDir("nido-it-host-rel-");
        Path rootfs = sb.privateRootfs("rootfs");
        Files.createSymbolicLink(rootfs.resolve("evil"), abs);
        Files.createSymbolicLink(rootfs.resolve("evil-rel"),
                Path.of("../".repeat(16) + abs.getRoot().relativize(rel)));
        ArrayNode base = ((ArrayNode) sb.config.get("mounts")).deepCopy();
        sb.args("/bin/nido-probe", "sleep", "1000");
        String[][] cases = {{"/evil/x", "abs"}, {"/evil-rel/y", "rel"}};

        // 1: the links' targets do not exist in the image
        for (String[] c : cases) {
            tmpfsMounts(base, c[0]);
            String id = sb.tag + "-missing-" + c[1];
            Cli.Result r = sb.cli("create", "--bundle", sb.write(id).toString(), id);
            if (r.code() != 0) {
                BadInputIT.assertCleanError(r, c[0].substring(0, c[0].lastIndexOf('/')));
            }
            assertHostUntouched(abs, rel);
        }
        sb.deleteAllContainers();
        assertHostUntouched(abs, rel);

        // 2: they exist in the image: that is where the mounts go
        Files.createDirectories(inImage(rootfs, abs));
        Files.createDirectories(inImage(rootfs, rel));
        tmpfsMounts(base, "/evil/x", "/evil-rel/y");
        String id = sb.tag + "-inside";
        Cli.Result r = sb.cli("create", "--bundle", sb.write(id).toString(), id);
        assertHostUntouched(abs, rel);
        if (r.code() != 0) {
            BadInputIT.assertCleanError(r, "/evil");
            return;
        }
        assertThat(inImage(rootfs, abs).resolve("x")).isDirectory();
        assertThat(inImage(rootfs, rel).resolve("y")).isDirectory();
        // proc_pid_mountinfo(5): mount points relative to the root of the process described
        List<String> inside = Files.readAllLines(Path.of("/proc/" + initPid(id) + "/mountinfo")).stream()
                .map(l -> l.split(" ")[4]).toList();
        assertThat(inside).contains(abs + "/x", rel + "/y");
    }

    @Test
    void cve_2021_30465_maskedPathSymlinkDoesNotMaskHostFile() throws IOException {
        Path host = newHostDir("nido-it-host-mask-");
        Path secret = Files.writeString(host.resolve("secret"), "host secret\n");
        Path dir = Files.createDirectory(host.resolve("dir"));
        Files.writeString(dir.resolve("f"), "host file\n");
        Map<String, Object> before = Files.readAttributes(secret, "unix:ino,size,ctime,mode");
        Path rootfs = sb.privateRootfs("rootfs");
        Files.createSymbolicLink(rootfs.resolve("evil-file"), secret);
        Files.createSymbolicLink(rootfs.resolve("evil-dir"), dir);
        Files.createSymbolicLink(rootfs.resolve("evil-rel"),
                Path.of("../".repeat(16) + secret.getRoot().relativize(secret)));
        sb.linux().withArray("maskedPaths").add("/evil-file").add("/evil-dir").add("/evil-rel");
        // the same path in the image, so that the mask has a file to cover there (the dir has none)
        Files.createDirectories(inImage(rootfs, host));
        Files.writeString(inImage(rootfs, secret), "image file\n");
        String id = sb.tag + "-mask";
        sb.args("/bin/nido-probe", "read", secret.toString()).write(id);
        Cli.Result r = sb.cli("run", "--bundle", sb.bundle.toString(), id);
        if (r.code() != 0) {
            BadInputIT.assertCleanError(r, "/evil");
        } else {
            assertThat(r.line("read")).as("the image's file is masked inside\n" + r).isEmpty();
        }
        assertThat(Files.readString(secret)).isEqualTo("host secret\n");
        assertThat(Files.readAttributes(secret, "unix:ino,size,ctime,mode")).isEqualTo(before);
        assertThat(Files.readString(dir.resolve("f"))).isEqualTo("host file\n");
        assertThat(Sandbox.hostMountsUnder(host)).as("host mounts").isEmpty();
    }

    // ---- /dev in the image is a symlink to a host directory ----

    @Test
    void devSymlinkInImageIsNotFollowedOut() throws IOException {
        Path host = newHostDir("nido-it-host-dev-");
        Path rootfs = sb.privateRootfs("rootfs");
        Sandbox.deleteTree(rootfs.resolve("dev"));
        Files.createSymbolicLink(rootfs.resolve("dev"), host);
        sb.args("/bin/sh", "-c", "test -c /dev/null && echo devnull=chr; /bin/nido-probe mount");

        // 1: the link's target does not exist in the image
        String id = sb.tag + "-dev-missing";
        Cli.Result r = sb.cli("run", "--bundle", sb.write(id).toString(), id);
        if (r.code() != 0) {
            BadInputIT.assertCleanError(r, "/dev");
        } else {
            assertThat(r.line("devnull")).as(r.toString()).isEqualTo("chr");
        }
        assertHostUntouched(host);

        // 2: it exists in the image: /dev and its devices are made there
        Files.createDirectories(inImage(rootfs, host));
        id = sb.tag + "-dev-inside";
        r = sb.cli("run", "--bundle", sb.write(id).toString(), id);
        assertHostUntouched(host);
        if (r.code() != 0) {
            BadInputIT.assertCleanError(r, "/dev");
            return;
        }
        assertThat(r.line("devnull")).as(r.toString()).isEqualTo("chr");
        assertThat(r.line("mount." + host)).as(r.toString()).startsWith("tmpfs:");
        try (Stream<Path> s = Files.list(inImage(rootfs, host))) {
            assertThat(s.toList()).as("the image's directory, under the container's /dev tmpfs").isEmpty();
        }
    }
}
