package dev.nido.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileInputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpawnIT {
    private static final int SIGURG = 23;
    /** {@code <signal.h>} SIG_IGN = (sighandler_t) 1. */
    private static final long SIG_IGN = 1;

    private final Syscalls sys = Syscalls.real();
    private final Children children = new Children(sys);
    private final List<Fd> fds = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void cleanUp() {
        children.killAll();
        fds.forEach(sys::close);
    }

    private Pipe pipe() {
        Pipe p = sys.pipe();
        fds.add(p.readEnd());
        fds.add(p.writeEnd());
        return p;
    }

    /** Spawns, waits, and returns what the child wrote to its fd 1. */
    private String run(String path, List<String> argv, List<String> env, Map<Integer, Fd> extra) {
        Pipe out = pipe();
        Map<Integer, Fd> map = new HashMap<>(extra);
        map.put(1, out.writeEnd());
        int pid = children.track(sys.spawn(path, argv, env, map));
        sys.close(out.writeEnd());
        String text = Children.readAll(sys, out.readEnd());
        assertThat(WaitStatus.describe(children.waitFor(pid))).isEqualTo("exited with code 0");
        return text;
    }

    @Test
    void passesArgvAndExactlyTheGivenEnvironment() {
        String out = run("/usr/bin/env", List.of("env"), List.of("A=1", "B=two words"), Map.of());
        assertThat(out).isEqualTo("A=1\nB=two words\n");
        assertThat(run("/bin/echo", List.of("echo", "a b", "", "c"), List.of(), Map.of())).isEqualTo("a b  c\n");
    }

    @Test
    void childHasOnlyStdioAndTheMappedFds() throws IOException {
        Path file = Files.writeString(dir.resolve("leak"), "x");
        try (FileInputStream a = new FileInputStream(file.toFile());
                FileInputStream b = new FileInputStream(file.toFile());
                FileInputStream c = new FileInputStream(file.toFile())) {
            List<Integer> open = fdsOf(file);
            assertThat(open).hasSize(3);
            int below = open.get(0);
            int target = open.get(1);
            int above = open.get(2);
            assertThat(FdCallsIT.fdFlags(new Fd(below)) & FdCalls.O_CLOEXEC)
                    .as("precondition: the JDK opened fd %d without O_CLOEXEC", below).isZero();
            assertThat(FdCallsIT.fdFlags(new Fd(above)) & FdCalls.O_CLOEXEC).isZero();
            Pipe extra = pipe();

            String out = run("/bin/ls", List.of("ls", "-1", "/proc/self/fd"), List.of(),
                    Map.of(target, extra.readEnd()));

            Set<Integer> listed = Arrays.stream(out.split("\n")).map(Integer::valueOf)
                    .collect(Collectors.toCollection(TreeSet::new));
            // 3 is ls's own directory fd; fd `below` (a gap) and fd `above` (closefrom) are gone.
            assertThat(listed).containsExactlyInAnyOrder(0, 1, 2, 3, target);
            assertThat(below).isGreaterThan(3);
            assertThat(a.read() + b.read() + c.read()).isEqualTo(3 * 'x'); // still open here
        }
    }

    /** The fd numbers of this process that have {@code file} open, ascending. */
    private static List<Integer> fdsOf(Path file) throws IOException {
        try (Stream<Path> entries = Files.list(Path.of("/proc/self/fd"))) {
            return entries.filter(p -> {
                try {
                    return Files.readSymbolicLink(p).equals(file);
                } catch (IOException e) {
                    return false; // closed meanwhile
                }
            }).map(p -> Integer.valueOf(p.getFileName().toString())).sorted().toList();
        }
    }

    @Test
    void mappingsThatSwapFdsDoNotClobberEachOther() {
        Pipe p = pipe();
        Pipe q = pipe();
        int a = p.writeEnd().value();
        int b = q.writeEnd().value();
        // child fd a gets q's write end, child fd b gets p's: a naive dup2 sequence sends both to one pipe.
        int pid = children.track(sys.spawn("/bin/bash", List.of("bash", "-c", "echo to-a >&" + a + "; echo to-b >&" + b),
                List.of(), Map.of(a, q.writeEnd(), b, p.writeEnd())));
        sys.close(p.writeEnd());
        sys.close(q.writeEnd());
        assertThat(Children.readAll(sys, p.readEnd())).isEqualTo("to-b\n");
        assertThat(Children.readAll(sys, q.readEnd())).isEqualTo("to-a\n");
        assertThat(WaitStatus.shellCode(children.waitFor(pid))).isZero();
    }

    @Test
    void childStartsWithNoSignalBlockedOrIgnored() throws IOException {
        String self = Files.readString(Path.of("/proc/thread-self/status"));
        assertThat(field(self, "SigBlk")).as("precondition: the JVM blocks SIGQUIT in its threads").isNotZero();
        // sighandler_t signal(int signum, sighandler_t handler): a pointer result, all 64 bits.
        Libc.Function signal = Libc.function("signal");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.callState(arena);
            long previous = Libc.call(state, signal, SIGURG, SIG_IGN);
            try {
                assertThat(field(Files.readString(Path.of("/proc/thread-self/status")), "SigIgn")
                        & (1L << (SIGURG - 1))).as("precondition: SIGURG is ignored here").isNotZero();
                String status = run("/bin/cat", List.of("cat", "/proc/self/status"), List.of(), Map.of());
                assertThat(field(status, "SigBlk")).isZero();
                assertThat(field(status, "SigIgn")).isZero();
            } finally {
                assertThat(Libc.call(state, signal, SIGURG, previous)).isEqualTo(SIG_IGN);
            }
        }
    }

    private static long field(String status, String name) {
        return status.lines().filter(l -> l.startsWith(name + ":"))
                .mapToLong(l -> Long.parseUnsignedLong(l.substring(name.length() + 1).strip(), 16))
                .findFirst().orElseThrow();
    }

    @Test
    void missingProgramIsReportedWithItsPath() {
        Path missing = dir.resolve("nido-no-such-program");
        assertThatThrownBy(() -> children.track(sys.spawn(missing.toString(), List.of("x"), List.of(), Map.of())))
                .hasMessage("posix_spawn " + missing + ": no such file or directory (ENOENT)");
    }

    @Test
    void badSourceFdIsReportedBeforeSpawning() {
        assertThatThrownBy(() -> children.track(sys.spawn("/bin/true", List.of("true"), List.of(),
                Map.of(3, new Fd(99_999)))))
                .hasMessage("fcntl F_DUPFD_CLOEXEC (for child fd 3) fd 99999: bad file descriptor (EBADF)");
    }

    @Test
    void killWaitpidAndAlive() {
        int pid = children.track(sys.spawn("/bin/sleep", List.of("sleep", "30"), List.of(), Map.of()));
        assertThat(sys.alive(pid)).isTrue();
        sys.kill(pid, Signals.TERM);
        int status = children.waitFor(pid);
        assertThat(WaitStatus.signaled(status)).isTrue();
        assertThat(WaitStatus.termSignal(status)).isEqualTo(Signals.TERM);
        assertThat(WaitStatus.shellCode(status)).isEqualTo(143);
        assertThat(sys.alive(pid)).isFalse();
        assertThatThrownBy(() -> sys.waitpid(pid))
                .hasMessage("waitpid pid " + pid + ": no child processes (ECHILD)");
        assertThatThrownBy(() -> sys.kill(pid, Signals.KILL))
                .hasMessage("kill -KILL pid " + pid + ": no such process (ESRCH)");
    }

    @Test
    void exitCodeComesBack() {
        int pid = children.track(sys.spawn("/bin/sh", List.of("sh", "-c", "exit 7"), List.of(), Map.of()));
        assertThat(WaitStatus.shellCode(children.waitFor(pid))).isEqualTo(7);
    }
}
