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
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The one place that links libc functions: the native linker, the symbol lookup, errno capture
 * and the EINTR retry loop. Linking is a restricted operation: the jar's manifest and the test
 * runners enable native access, hence {@code @SuppressWarnings("restricted")} here only.
 *
 * <h2>One call shape for every function</h2>
 * Every command is a fresh JVM, and the JDK spins LambdaForms and a downcall stub class for
 * each distinct {@link FunctionDescriptor} (plus linker options) the first time it is linked:
 * about 8-10 ms per shape cold, 4-5 ms even with the JDK's AOT cache, which does not hold those
 * classes. So every libc function is called through <em>one</em> downcall handle of one shape,
 * linked once, in this class's initialiser, without a target address
 * ({@link Linker#downcallHandle(FunctionDescriptor, Linker.Option...)}; the linker caches stubs
 * per descriptor and options, so even a second link of the shape would reuse the stub); a
 * {@link Function} is just a name and a symbol address, passed as the handle's first argument.
 * Looking a symbol up costs microseconds, so the {@code *Calls} classes hold their functions in
 * static fields:
 * <pre>
 * long f(long a0, ...)   // a0 named, a1-a5 variadic: firstVariadicArg(1)
 *                        // FunctionDescriptor.of(JAVA_LONG, JAVA_LONG x 6)
 *                        // + captureCallState("errno")
 * </pre>
 * Arguments: pointers as {@link #address(MemorySegment)} (the raw address of a native segment,
 * which the caller keeps alive in its arena), C {@code int}, {@code unsigned int}, {@code short},
 * {@code pid_t}, {@code mode_t} and {@code socklen_t} as Java {@code int} widened (sign-extended)
 * to {@code long}, {@code size_t} and {@code ssize_t} as {@code long}. Unused trailing arguments
 * are 0. This is sound on exactly these two ABIs, for functions with at most six integer or
 * pointer parameters and an integer or pointer result:
 * <ul>
 * <li><b>x86_64 System V</b> (Linux {@code amd64}): the first six integer/pointer arguments go
 * in {@code rdi, rsi, rdx, rcx, r8, r9}, named or variadic alike; a callee reads only the
 * registers of its own parameters, so extra ones are ignored. A parameter narrower than 64 bits
 * is read from the low bits of its register (the upper bits are unspecified by the ABI; we
 * sign-extend, which also satisfies clang's assumption that {@code char}/{@code short} arrive
 * extended to 32 bits). A result comes back in {@code rax}; for an {@code int} result only
 * {@code eax} is defined, so the result is cast to {@code int} ({@link #checkInt}) and the upper
 * 32 bits are never trusted. For a call to a variadic function, {@code al} must hold an upper
 * bound of the number of vector registers used; the JDK sets it (to 0 here) only for handles
 * linked with {@code firstVariadicArg} (see {@code jdk.internal.foreign.abi.x64.sysv.CallArranger}),
 * which is why the single shape is declared variadic: then {@code fcntl}, {@code open},
 * {@code syscall} and {@code prctl} are called correctly, and for a non-variadic callee
 * {@code rax} is just a scratch register it ignores. (Declaring the shape variadic costs about
 * 5 ms of the one link, for the extra bound argument; a second, non-variadic shape would cost
 * more, since a container start calls {@code fcntl} and {@code open} anyway.)</li>
 * <li><b>AArch64 AAPCS64</b> as used on Linux ({@code aarch64}): integer/pointer arguments go in
 * {@code x0-x7}, variadic ones exactly like named ones (unlike Apple's arm64 ABI, which puts
 * variadic arguments on the stack; the JDK's {@code LinuxAArch64CallArranger.varArgsOnStack()}
 * is false); extra registers are ignored; a narrow parameter is read from the low bits
 * ({@code w} register); an {@code int} result is {@code w0}, the low 32 bits of {@code x0}, and
 * the upper bits are unspecified, hence the same cast.</li>
 * </ul>
 * Any other architecture or OS is refused with an {@link UnsupportedOperationException} when a
 * function is looked up, before anything is called. Functions with more than six parameters,
 * floating-point or struct parameters or results must not go through here.
 *
 * <h2>Start-up</h2>
 * After the link, the first use of many JDK features still spins classes at run time, a
 * millisecond or more each in a cold JVM, so the success path of this package avoids them:
 * string {@code +} and the generated {@code equals}/{@code hashCode}/{@code toString} of records
 * (invokedynamic bootstraps; use {@link String#concat} and written-out methods), lambdas,
 * {@code ValueLayout.ADDRESS} accessors (pointers are stored as {@code JAVA_LONG}), any
 * {@code segment.get}/{@code set} with a value layout (a var handle; use {@link #getInt} and
 * {@link #setLong}), {@code arena.allocateFrom(String)} (use {@link #cString}) and
 * {@code MemorySegment.copy} with a Java array (a type switch; copy from
 * {@link MemorySegment#ofArray(byte[])} instead). Error paths may use anything.
 */
final class Libc {
    /** The most arguments a {@link Function} can take: the integer argument registers of x86_64. */
    static final int MAX_ARGUMENTS = 6;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();

    /** The linker's call-state struct; only its {@code int errno} member is read. */
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final long ERRNO_OFFSET = errnoOffset(CALL_STATE);

    /** Why this platform cannot use the single shape, or null when it can. */
    private static final String UNSUPPORTED =
            unsupportedReason(System.getProperty("os.name"), System.getProperty("os.arch"));

    /**
     * The only downcall handle: {@code (MemorySegment function, MemorySegment callState,
     * long a0, ..., long a5) -> long}. Null on an unsupported platform, where nothing is linked.
     */
    private static final MethodHandle CALL = UNSUPPORTED == null ? link() : null;

    private Libc() {
    }

    @SuppressWarnings("restricted")
    private static MethodHandle link() {
        ValueLayout.OfLong l = ValueLayout.JAVA_LONG;
        return LINKER.downcallHandle(FunctionDescriptor.of(l, l, l, l, l, l, l),
                Linker.Option.firstVariadicArg(1), Linker.Option.captureCallState("errno"));
    }

    /**
     * The offset of {@code errno} in the call state, summed over the struct's members (padding is
     * a member too) rather than with {@code byteOffset(groupElement("errno"))}, whose layout-path
     * machinery spins about 4 ms of method handle classes in a cold JVM.
     */
    private static long errnoOffset(StructLayout state) {
        long offset = 0;
        for (MemoryLayout member : state.memberLayouts()) {
            if ("errno".equals(member.name().orElse(null))) {
                return offset;
            }
            offset += member.byteSize();
        }
        throw new IllegalStateException("the linker's call state has no errno: " + state);
    }

    /** Null when {@code os}/{@code arch} (the system properties) have the ABI the class comment relies on. */
    static String unsupportedReason(String os, String arch) {
        if (!"linux".equals(String.valueOf(os).toLowerCase(Locale.ROOT))) {
            return "nido calls libc only on Linux, not on " + os;
        }
        if (!"amd64".equals(arch) && !"aarch64".equals(arch)) {
            return "nido calls libc through one shared call shape that relies on the x86_64 and AArch64 "
                    + "calling conventions; os.arch " + arch + " is not supported";
        }
        return null;
    }

    /** A libc function: its name (for messages) and its address. */
    record Function(String name, MemorySegment address) {
    }

    /**
     * The libc function {@code name}.
     *
     * @throws UnsupportedOperationException on an architecture other than amd64 and aarch64
     * @throws UnsatisfiedLinkError when libc lacks it
     */
    static Function function(String name) {
        Optional<Function> function = optionalFunction(name);
        if (function.isEmpty()) {
            throw new UnsatisfiedLinkError("libc has no symbol " + name);
        }
        return function.get();
    }

    /** Like {@link #function}, but empty when this libc lacks the symbol. */
    static Optional<Function> optionalFunction(String name) {
        if (UNSUPPORTED != null) {
            throw new UnsupportedOperationException(name + ": " + UNSUPPORTED);
        }
        Optional<MemorySegment> address = LIBC.find(name);
        return address.isPresent() ? Optional.of(new Function(name, address.get())) : Optional.empty();
    }

    /** The address of a native segment, as a pointer argument; {@link MemorySegment#NULL} is 0. */
    static long address(MemorySegment segment) {
        if (!segment.isNative()) {
            throw new IllegalArgumentException("not a native segment: " + segment);
        }
        return segment.address();
    }

    static MemorySegment callState(Arena arena) {
        return arena.allocate(CALL_STATE);
    }

    static int errno(MemorySegment callState) {
        return getInt(callState, ERRNO_OFFSET);
    }

    /**
     * The {@code int} at {@code offset} of a native segment, copied through a Java array rather
     * than read with {@code segment.get(JAVA_INT, ...)}: the first var handle access of a JVM
     * initialises the layout-path machinery, several milliseconds of spun method handle classes.
     */
    static int getInt(MemorySegment segment, long offset) {
        int[] value = new int[1];
        MemorySegment.copy(segment, offset, MemorySegment.ofArray(value), 0, Integer.BYTES);
        return value[0];
    }

    /** Stores {@code value} at {@code offset} of a native segment (see {@link #getInt}). */
    static void setLong(MemorySegment segment, long offset, long value) {
        MemorySegment.copy(MemorySegment.ofArray(new long[] {value}), 0, segment, offset, Long.BYTES);
    }

    /**
     * One call of {@code function} with up to six arguments; the call state receives errno. The
     * raw 64-bit result: cast it to {@code int} for a function returning {@code int}.
     */
    static long call(MemorySegment callState, Function function, long... args) {
        if (args.length > MAX_ARGUMENTS) {
            throw new IllegalArgumentException(function.name() + ": more than " + MAX_ARGUMENTS + " arguments");
        }
        long[] a = args.length == MAX_ARGUMENTS ? args : Arrays.copyOf(args, MAX_ARGUMENTS);
        try {
            return (long) CALL.invokeExact(function.address(), callState, a[0], a[1], a[2], a[3], a[4], a[5]);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            // invokeExact declares Throwable; a downcall itself throws nothing checked.
            throw new IllegalStateException("downcall " + function.name() + " failed", t);
        }
    }

    /**
     * Calls a function returning {@code long} ({@code ssize_t}) until it returns something other
     * than -1 with EINTR; any other failure becomes a {@link LinuxException} naming
     * {@code operation} and {@code path}.
     */
    static long check(Arena arena, String operation, String path, Function function, long... args) {
        return check(arena, operation, path, false, function, args);
    }

    /** {@link #check} for a function returning {@code int}: only the low 32 bits of the result count. */
    static int checkInt(Arena arena, String operation, String path, Function function, long... args) {
        return (int) check(arena, operation, path, true, function, args);
    }

    private static long check(Arena arena, String operation, String path, boolean intResult,
            Function function, long... args) {
        MemorySegment state = callState(arena);
        while (true) {
            long raw = call(state, function, args);
            long result = intResult ? (int) raw : raw;
            if (result != -1) {
                return result;
            }
            int errno = errno(state);
            if (errno != Errno.EINTR) {
                throw new LinuxException(operation, path, errno);
            }
        }
    }

    /**
     * Calls a function returning {@code int} once and returns its result or, when it returned
     * -1, the negated errno (for callers that treat some errno values as answers, such as close
     * and kill).
     */
    static int intResultOrNegatedErrno(Arena arena, Function function, long... args) {
        MemorySegment state = callState(arena);
        int result = (int) call(state, function, args);
        return result == -1 ? -errno(state) : result;
    }

    /**
     * Calls a function of the posix_spawn family, which returns 0 or an error number (an
     * {@code int}) and leaves errno alone.
     */
    static void checkErrorNumber(Arena arena, String path, Function function, long... args) {
        int error = (int) call(callState(arena), function, args);
        if (error != 0) {
            throw new LinuxException(function.name(), path, error);
        }
    }

    /** A NUL-terminated UTF-8 copy of {@code s}. */
    static MemorySegment cString(Arena arena, String s) {
        if (s.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("string contains a NUL byte: " + ShellQuote.quote(s));
        }
        // Not arena.allocateFrom(s): its array copy and byte store spin a type switch and var
        // handle classes on first use (see the class comment).
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        MemorySegment segment = arena.allocate(bytes.length + 1L); // zeroed: ends in NUL
        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, segment, 0, bytes.length);
        return segment;
    }

    /**
     * A NULL-terminated {@code char *[]} (argv, envp). The pointers are stored as 64-bit
     * addresses (both supported ABIs are LP64), copied in from a {@code long[]}, not stored through
     * {@code ValueLayout.ADDRESS} or {@code JAVA_LONG}, whose first use spins var handle classes.
     */
    static MemorySegment cStringArray(Arena arena, List<String> strings) {
        long[] pointers = new long[strings.size() + 1]; // ends in NULL
        for (int i = 0; i < strings.size(); i++) {
            pointers[i] = cString(arena, strings.get(i)).address();
        }
        MemorySegment array = arena.allocate(ValueLayout.JAVA_LONG, pointers.length);
        MemorySegment.copy(MemorySegment.ofArray(pointers), 0, array, 0, (long) pointers.length * Long.BYTES);
        return array;
    }
}
