package dev.nido.linux;

import static dev.nido.linux.Libc.address;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * posix_spawn(3) with file actions and attributes. The JVM is multithreaded and blocks or
 * handles signals, so it never forks: glibc's posix_spawn uses clone(CLONE_VM | CLONE_VFORK)
 * and runs only the file actions before execve.
 *
 * <p>The glibc structs are opaque to us; they are allocated generously and handled only through
 * their init/destroy/set functions:
 * <pre>
 * typedef struct {                      // &lt;spawn.h&gt;, 80 bytes on x86_64
 *     int __allocated;
 *     int __used;
 *     struct __spawn_action *__actions;
 *     int __pad[16];
 * } posix_spawn_file_actions_t;
 *
 * typedef struct {                      // &lt;spawn.h&gt;, 336 bytes on x86_64
 *     short int __flags;
 *     pid_t __pgrp;
 *     sigset_t __sd;                    // signals reset to default (POSIX_SPAWN_SETSIGDEF)
 *     sigset_t __ss;                    // signal mask (POSIX_SPAWN_SETSIGMASK)
 *     struct sched_param __sp;
 *     int __policy;
 *     int __pad[16];
 * } posix_spawnattr_t;
 *
 * typedef struct {                      // &lt;bits/types/__sigset_t.h&gt;, 128 bytes
 *     unsigned long int __val[16];      // bit (n - 1) of the words = signal n
 * } sigset_t;
 * </pre>
 */
final class SpawnCalls {
    private static final long FILE_ACTIONS_SIZE = 256;
    private static final long SPAWNATTR_SIZE = 512;
    private static final long SIGSET_SIZE = 128;
    /** {@code <spawn.h>} POSIX_SPAWN_SETSIGDEF. */
    private static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    /** {@code <spawn.h>} POSIX_SPAWN_SETSIGMASK. */
    private static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    /** Temporary copies of source fds go at or above this, clear of every plausible target. */
    private static final int FIRST_TEMPORARY_FD = 64;

    /** int posix_spawn_file_actions_init(posix_spawn_file_actions_t *fa). */
    private static final Libc.Function ACTIONS_INIT = Libc.function("posix_spawn_file_actions_init");
    /** int posix_spawn_file_actions_destroy(posix_spawn_file_actions_t *fa). */
    private static final Libc.Function ACTIONS_DESTROY = Libc.function("posix_spawn_file_actions_destroy");
    /** int posix_spawn_file_actions_adddup2(posix_spawn_file_actions_t *fa, int fd, int newfd). */
    private static final Libc.Function ADD_DUP2 = Libc.function("posix_spawn_file_actions_adddup2");
    /** int posix_spawn_file_actions_addclose(posix_spawn_file_actions_t *fa, int fd). */
    private static final Libc.Function ADD_CLOSE = Libc.function("posix_spawn_file_actions_addclose");
    /** int posix_spawn_file_actions_addclosefrom_np(posix_spawn_file_actions_t *fa, int from): glibc 2.34. */
    private static final Optional<Libc.Function> ADD_CLOSEFROM =
            Libc.optionalFunction("posix_spawn_file_actions_addclosefrom_np");
    /** int posix_spawnattr_init(posix_spawnattr_t *attr). */
    private static final Libc.Function ATTR_INIT = Libc.function("posix_spawnattr_init");
    /** int posix_spawnattr_destroy(posix_spawnattr_t *attr). */
    private static final Libc.Function ATTR_DESTROY = Libc.function("posix_spawnattr_destroy");
    /** int posix_spawnattr_setflags(posix_spawnattr_t *attr, short flags). */
    private static final Libc.Function SET_FLAGS = Libc.function("posix_spawnattr_setflags");
    /** int posix_spawnattr_setsigmask(posix_spawnattr_t *attr, const sigset_t *mask). */
    private static final Libc.Function SET_SIGMASK = Libc.function("posix_spawnattr_setsigmask");
    /** int posix_spawnattr_setsigdefault(posix_spawnattr_t *attr, const sigset_t *sigdefault). */
    private static final Libc.Function SET_SIGDEFAULT = Libc.function("posix_spawnattr_setsigdefault");
    /**
     * int posix_spawn(pid_t *pid, const char *path, const posix_spawn_file_actions_t *fa,
     * const posix_spawnattr_t *attr, char *const argv[], char *const envp[]).
     */
    private static final Libc.Function POSIX_SPAWN = Libc.function("posix_spawn");

    private SpawnCalls() {
    }

    static int spawn(String path, List<String> argv, List<String> env, Map<Integer, Fd> fds) {
        ChildFds child = ChildFds.of(path, fds);
        List<Fd> temporaries = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment actions = arena.allocate(FILE_ACTIONS_SIZE, 16);
            MemorySegment attr = arena.allocate(SPAWNATTR_SIZE, 16);
            Libc.checkErrorNumber(arena, path, ACTIONS_INIT, address(actions));
            try {
                addFileActions(arena, actions, child, temporaries, path);
                return spawnWithAttributes(arena, attr, actions, child.execPath(), argv, env, path);
            } finally {
                Libc.checkErrorNumber(arena, path, ACTIONS_DESTROY, address(actions));
            }
        } finally {
            for (Fd temporary : temporaries) {
                FdCalls.close(temporary);
            }
        }
    }

    /**
     * Every source is first copied to a number at or above both 64 and every target, so that
     * the dup2 actions, run in order in the child, never overwrite a source that a later action
     * still needs; then every fd of the JVM that is not a target is closed: those in gaps between
     * the targets one by one, those above with closefrom.
     */
    private static void addFileActions(Arena arena, MemorySegment actions, ChildFds child, List<Fd> temporaries,
            String path) {
        int firstTemporary = Math.max(FIRST_TEMPORARY_FD, child.maxTarget() + 1);
        for (Map.Entry<Integer, Fd> e : child.fds().entrySet()) {
            int target = e.getKey();
            Fd copy = new Fd(FdCalls.fcntl(e.getValue(), FdCalls.F_DUPFD_CLOEXEC, firstTemporary,
                    "fcntl F_DUPFD_CLOEXEC (for child fd ".concat(Integer.toString(target)).concat(")")));
            temporaries.add(copy);
            Libc.checkErrorNumber(arena, path, ADD_DUP2, address(actions), copy.value(), target);
        }
        // Gaps between the targets (targets 3 and 9: fds 4-8) would keep the JVM's fds open;
        // glibc ignores EBADF from these closes (spawni.c: "errors only for fds out of range").
        for (int gap = 3; gap < child.maxTarget(); gap++) {
            if (!child.fds().containsKey(gap)) {
                Libc.checkErrorNumber(arena, path, ADD_CLOSE, address(actions), gap);
            }
        }
        if (ADD_CLOSEFROM.isEmpty()) {
            throw new LinuxException("posix_spawn_file_actions_addclosefrom_np (glibc 2.34)", path, Errno.ENOSYS);
        }
        Libc.checkErrorNumber(arena, path, ADD_CLOSEFROM.get(), address(actions), child.maxTarget() + 1);
    }

    private static int spawnWithAttributes(Arena arena, MemorySegment attr, MemorySegment actions,
            String execPath, List<String> argv, List<String> env, String path) {
        Libc.checkErrorNumber(arena, path, ATTR_INIT, address(attr));
        try {
            setSignals(arena, attr, path);
            MemorySegment pid = arena.allocate(ValueLayout.JAVA_INT);
            MemorySegment file = Libc.cString(arena, execPath);
            MemorySegment argvArray = Libc.cStringArray(arena, argv);
            MemorySegment envArray = Libc.cStringArray(arena, env);
            Libc.checkErrorNumber(arena, path, POSIX_SPAWN, address(pid), address(file), address(actions),
                    address(attr), address(argvArray), address(envArray));
            return Libc.getInt(pid, 0);
        } finally {
            Libc.checkErrorNumber(arena, path, ATTR_DESTROY, address(attr));
        }
    }

    /**
     * The JVM blocks some signals and handles others; the child starts with none blocked, all
     * default. The two sigsets are filled here rather than with sigemptyset/sigfillset (two more
     * libc calls): bit (n - 1) of the 128-byte {@code sigset_t} is signal n, and Linux has signals
     * 1-64, all in the first 64-bit word.
     */
    private static void setSignals(Arena arena, MemorySegment attr, String path) {
        MemorySegment emptyMask = arena.allocate(SIGSET_SIZE, 8); // zeroed: no signal
        MemorySegment allSignals = arena.allocate(SIGSET_SIZE, 8);
        Libc.setLong(allSignals, 0, -1L); // bits 0-63: signals 1-64
        Libc.checkErrorNumber(arena, path, SET_FLAGS, address(attr), POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
        Libc.checkErrorNumber(arena, path, SET_SIGMASK, address(attr), address(emptyMask));
        Libc.checkErrorNumber(arena, path, SET_SIGDEFAULT, address(attr), address(allSignals));
    }
}
