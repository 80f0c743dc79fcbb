package dev.nido.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.Optional;

/**
 * The one place that links libc functions: the native linker, the symbol lookup, errno capture
 * and the EINTR retry loop. Handles are built by the {@code *Calls} classes in their static
 * initialisers, so a command links only the groups of functions it uses (start-up time matters
 * for a short-lived CLI). Linking is a restricted operation: the jar's manifest and the test
 * runners enable native access, hence {@code @SuppressWarnings("restricted")} here only.
 */
final class Libc {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();

    /** The linker's call-state struct; only its {@code int errno} member is captured. */
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    static final ValueLayout.OfInt C_INT = ValueLayout.JAVA_INT;
    static final ValueLayout.OfLong C_LONG = ValueLayout.JAVA_LONG;
    static final ValueLayout.OfShort C_SHORT = ValueLayout.JAVA_SHORT;
    static final ValueLayout C_POINTER = ValueLayout.ADDRESS;

    private Libc() {
    }

    /**
     * A function that sets errno on failure. The handle takes the call-state segment (from
     * {@link #callState(Arena)}) as an extra first argument.
     */
    @SuppressWarnings("restricted")
    static MethodHandle errnoFunction(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        Linker.Option[] all = new Linker.Option[options.length + 1];
        all[0] = CAPTURE_ERRNO;
        System.arraycopy(options, 0, all, 1, options.length);
        return LINKER.downcallHandle(symbol(name), descriptor, all);
    }

    /** A function that returns an error number instead of setting errno (the posix_spawn family). */
    @SuppressWarnings("restricted")
    static MethodHandle function(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(symbol(name), descriptor);
    }

    /** Like {@link #function}, but empty when this libc lacks the symbol. */
    @SuppressWarnings("restricted")
    static Optional<MethodHandle> optionalFunction(String name, FunctionDescriptor descriptor) {
        return LIBC.find(name).map(address -> LINKER.downcallHandle(address, descriptor));
    }

    private static MemorySegment symbol(String name) {
        return LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no symbol " + name));
    }

    static MemorySegment callState(Arena arena) {
        return arena.allocate(CALL_STATE);
    }

    static int errno(MemorySegment callState) {
        return (int) ERRNO.get(callState, 0L);
    }

    /** One downcall; the call state receives errno. */
    @FunctionalInterface
    interface Call {
        long invoke(MemorySegment callState) throws Throwable;
    }

    /**
     * Runs {@code call} until it returns something other than -1 with EINTR; any other failure
     * becomes a {@link LinuxException} naming {@code operation} and {@code path}.
     */
    static long check(Arena arena, String operation, String path, Call call) {
        MemorySegment state = callState(arena);
        while (true) {
            long result = invoke(call, state);
            if (result != -1) {
                return result;
            }
            int errno = errno(state);
            if (errno != Errno.EINTR) {
                throw new LinuxException(operation, path, errno);
            }
        }
    }

    /** {@link #check} for functions returning int. */
    static int checkInt(Arena arena, String operation, String path, Call call) {
        return (int) check(arena, operation, path, call);
    }

    /**
     * Runs {@code call} once and returns its result or, when it returned -1, the negated errno
     * (for callers that treat some errno values as answers, such as close and kill).
     */
    static long resultOrNegatedErrno(Arena arena, Call call) {
        MemorySegment state = callState(arena);
        long result = invoke(call, state);
        return result == -1 ? -errno(state) : result;
    }

    /** Invokes a function of the posix_spawn family, which returns 0 or an error number. */
    static void checkErrorNumber(String operation, String path, Call call) {
        int error = (int) invoke(call, MemorySegment.NULL);
        if (error != 0) {
            throw new LinuxException(operation, path, error);
        }
    }

    private static long invoke(Call call, MemorySegment state) {
        try {
            return call.invoke(state);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            // invokeExact declares Throwable; a downcall itself throws nothing checked.
            throw new IllegalStateException("downcall failed", t);
        }
    }

    /** A NUL-terminated UTF-8 copy of {@code s}. */
    static MemorySegment cString(Arena arena, String s) {
        if (s.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("string contains a NUL byte: " + ShellQuote.quote(s));
        }
        return arena.allocateFrom(s);
    }

    /** A NULL-terminated {@code char *[]} (argv, envp). */
    static MemorySegment cStringArray(Arena arena, List<String> strings) {
        MemorySegment array = arena.allocate(C_POINTER, strings.size() + 1L);
        for (int i = 0; i < strings.size(); i++) {
            array.setAtIndex(ValueLayout.ADDRESS, i, cString(arena, strings.get(i)));
        }
        array.setAtIndex(ValueLayout.ADDRESS, strings.size(), MemorySegment.NULL);
        return array;
    }
}
