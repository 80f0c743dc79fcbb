package dev.nido.linux;

import static dev.nido.linux.Libc.C_INT;
import static dev.nido.linux.Libc.C_POINTER;
import static dev.nido.linux.Libc.C_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
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

    private static final FunctionDescriptor INT_OF_POINTER = FunctionDescriptor.of(C_INT, C_POINTER);
    private static final MethodHandle ACTIONS_INIT = Libc.function("posix_spawn_file_actions_init", INT_OF_POINTER);
    private static final MethodHandle ACTIONS_DESTROY = Libc.function("posix_spawn_file_actions_destroy", INT_OF_POINTER);
    /** int posix_spawn_file_actions_adddup2(posix_spawn_file_actions_t *fa, int fd, int newfd). */
    private static final MethodHandle ADD_DUP2 = Libc.function("posix_spawn_file_actions_adddup2",
            FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_INT));
    /** int posix_spawn_file_actions_addclose(posix_spawn_file_actions_t *fa, int fd). */
    private static final MethodHandle ADD_CLOSE = Libc.function("posix_spawn_file_actions_addclose",
            FunctionDescriptor.of(C_INT, C_POINTER, C_INT));
    /** int posix_spawn_file_actions_addclosefrom_np(posix_spawn_file_actions_t *fa, int from): glibc 2.34. */
    private static final Optional<MethodHandle> ADD_CLOSEFROM = Libc.optionalFunction(
            "posix_spawn_file_actions_addclosefrom_np", FunctionDescriptor.of(C_INT, C_POINTER, C_INT));
    private static final MethodHandle ATTR_INIT = Libc.function("posix_spawnattr_init", INT_OF_POINTER);
    private static final MethodHandle ATTR_DESTROY = Libc.function("posix_spawnattr_destroy", INT_OF_POINTER);
    /** int posix_spawnattr_setflags(posix_spawnattr_t *attr, short flags). */
    private static final MethodHandle SET_FLAGS = Libc.function("posix_spawnattr_setflags",
            FunctionDescriptor.of(C_INT, C_POINTER, C_SHORT));
    /** int posix_spawnattr_setsigmask(posix_spawnattr_t *attr, const sigset_t *mask). */
    private static final MethodHandle SET_SIGMASK = Libc.function("posix_spawnattr_setsigmask",
            FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER));
    /** int posix_spawnattr_setsigdefault(posix_spawnattr_t *attr, const sigset_t *sigdefault). */
    private static final MethodHandle SET_SIGDEFAULT = Libc.function("posix_spawnattr_setsigdefault",
            FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER));
    /**
     * int posix_spawn(pid_t *pid, const char *path, const posix_spawn_file_actions_t *fa,
     * const posix_spawnattr_t *attr, char *const argv[], char *const envp[]).
     */
    private static final MethodHandle POSIX_SPAWN = Libc.function("posix_spawn",
            FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER, C_POINTER, C_POINTER, C_POINTER, C_POINTER));

    private SpawnCalls() {
    }

    static int spawn(String path, List<String> argv, List<String> env, Map<Integer, Fd> fds) {
        ChildFds child = ChildFds.of(path, fds);
        List<Fd> temporaries = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment actions = arena.allocate(FILE_ACTIONS_SIZE, 16);
            MemorySegment attr = arena.allocate(SPAWNATTR_SIZE, 16);
            Libc.checkErrorNumber("posix_spawn_file_actions_init", path,
                    s -> (int) ACTIONS_INIT.invokeExact(actions));
            try {
                addFileActions(actions, child, temporaries, path);
                return spawnWithAttributes(arena, attr, actions, child.execPath(), argv, env, path);
            } finally {
                Libc.checkErrorNumber("posix_spawn_file_actions_destroy", path,
                        s -> (int) ACTIONS_DESTROY.invokeExact(actions));
            }
        } finally {
            temporaries.forEach(FdCalls::close);
        }
    }

    /**
     * Every source is first copied to a number at or above both 64 and every target, so that
     * the dup2 actions, run in order in the child, never overwrite a source that a later action
     * still needs; then every fd of the JVM that is not a target is closed: those in gaps between
     * the targets one by one, those above with closefrom.
     */
    private static void addFileActions(MemorySegment actions, ChildFds child, List<Fd> temporaries, String path) {
        int firstTemporary = Math.max(FIRST_TEMPORARY_FD, child.maxTarget() + 1);
        for (Map.Entry<Integer, Fd> e : child.fds().entrySet()) {
            int target = e.getKey();
            Fd copy = new Fd(FdCalls.fcntl(e.getValue(), FdCalls.F_DUPFD_CLOEXEC, firstTemporary,
                    "fcntl F_DUPFD_CLOEXEC (for child fd " + target + ")"));
            temporaries.add(copy);
            Libc.checkErrorNumber("posix_spawn_file_actions_adddup2", path,
                    s -> (int) ADD_DUP2.invokeExact(actions, copy.value(), target));
        }
        // Gaps between the targets (targets 3 and 9: fds 4-8) would keep the JVM's fds open;
        // glibc ignores EBADF from these closes (spawni.c: "errors only for fds out of range").
        for (int gap = 3; gap < child.maxTarget(); gap++) {
            if (!child.fds().containsKey(gap)) {
                int fd = gap;
                Libc.checkErrorNumber("posix_spawn_file_actions_addclose", path,
                        s -> (int) ADD_CLOSE.invokeExact(actions, fd));
            }
        }
        MethodHandle closeFrom = ADD_CLOSEFROM.orElseThrow(
                () -> new LinuxException("posix_spawn_file_actions_addclosefrom_np (glibc 2.34)", path, Errno.ENOSYS));
        int from = child.maxTarget() + 1;
        Libc.checkErrorNumber("posix_spawn_file_actions_addclosefrom_np", path,
                s -> (int) closeFrom.invokeExact(actions, from));
    }

    private static int spawnWithAttributes(Arena arena, MemorySegment attr, MemorySegment actions,
            String execPath, List<String> argv, List<String> env, String path) {
        Libc.checkErrorNumber("posix_spawnattr_init", path, s -> (int) ATTR_INIT.invokeExact(attr));
        try {
            setSignals(arena, attr, path);
            MemorySegment pid = arena.allocate(C_INT);
            MemorySegment file = Libc.cString(arena, execPath);
            MemorySegment argvArray = Libc.cStringArray(arena, argv);
            MemorySegment envArray = Libc.cStringArray(arena, env);
            Libc.checkErrorNumber("posix_spawn", path,
                    s -> (int) POSIX_SPAWN.invokeExact(pid, file, actions, attr, argvArray, envArray));
            return pid.get(C_INT, 0);
        } finally {
            Libc.checkErrorNumber("posix_spawnattr_destroy", path, s -> (int) ATTR_DESTROY.invokeExact(attr));
        }
    }

    /** The JVM blocks some signals and handles others; the child starts with none blocked, all default. */
    private static void setSignals(Arena arena, MemorySegment attr, String path) {
        MemorySegment emptyMask = arena.allocate(SIGSET_SIZE, 8);
        MemorySegment allSignals = arena.allocate(SIGSET_SIZE, 8);
        allSignals.set(Libc.C_LONG, 0, -1L); // bits 0-63: signals 1-64
        short flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
        Libc.checkErrorNumber("posix_spawnattr_setflags", path, s -> (int) SET_FLAGS.invokeExact(attr, flags));
        Libc.checkErrorNumber("posix_spawnattr_setsigmask", path,
                s -> (int) SET_SIGMASK.invokeExact(attr, emptyMask));
        Libc.checkErrorNumber("posix_spawnattr_setsigdefault", path,
                s -> (int) SET_SIGDEFAULT.invokeExact(attr, allSignals));
    }
}
