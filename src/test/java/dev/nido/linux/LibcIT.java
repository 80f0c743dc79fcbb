package dev.nido.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** The single call shape of {@link Libc} against real libc functions. */
class LibcIT {
    @Test
    void intResultsAreTheLow32BitsSignExtended() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.callState(arena);
            // int atoi(const char *): an int result; the upper half of the register is not trusted.
            assertThat((int) Libc.call(state, Libc.function("atoi"), Libc.address(arena.allocateFrom("-7"))))
                    .isEqualTo(-7);
            assertThat(Libc.checkInt(arena, "atoi", "", Libc.function("atoi"),
                    Libc.address(arena.allocateFrom("-2147483648")))).isEqualTo(Integer.MIN_VALUE);
        }
    }

    @Test
    void longResultsAndArgumentsKeepAll64Bits() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.callState(arena);
            // long strtol(const char *, char **, int)
            long big = Libc.call(state, Libc.function("strtol"),
                    Libc.address(arena.allocateFrom("-123456789012")), 0, 10);
            assertThat(big).isEqualTo(-123_456_789_012L);
            // long labs(long)
            assertThat(Libc.call(state, Libc.function("labs"), -(1L << 40))).isEqualTo(1L << 40);
        }
    }

    @Test
    void variadicFunctionsGetTheirArguments() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.callState(arena);
            MemorySegment buf = arena.allocate(64);
            // int snprintf(char *, size_t, const char *, ...): five integer/pointer arguments after the format.
            int n = (int) Libc.call(state, Libc.function("snprintf"), Libc.address(buf), 64,
                    Libc.address(arena.allocateFrom("%d %ld %s")), -42, Long.MIN_VALUE,
                    Libc.address(arena.allocateFrom("end")));
            assertThat(buf.getString(0)).isEqualTo("-42 -9223372036854775808 end");
            assertThat(n).isEqualTo(buf.getString(0).length());
        }
    }

    @Test
    void errnoIsCapturedAndEintrRetriedOnlyForMinusOne() {
        try (Arena arena = Arena.ofConfined()) {
            assertThat(Libc.intResultOrNegatedErrno(arena, Libc.function("close"), 99_999)).isEqualTo(-Errno.EBADF);
            assertThatThrownBy(() -> Libc.checkInt(arena, "fcntl F_GETFD", "fd 99999", Libc.function("fcntl"),
                    99_999, 1 /* F_GETFD */))
                    .hasMessage("fcntl F_GETFD fd 99999: bad file descriptor (EBADF)");
        }
    }

    @Test
    void posixSpawnFamilyReportsItsErrorNumberUnderItsName() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment actions = arena.allocate(256, 16);
            Libc.checkErrorNumber(arena, "x", Libc.function("posix_spawn_file_actions_init"), Libc.address(actions));
            try {
                assertThatThrownBy(() -> Libc.checkErrorNumber(arena, "x",
                        Libc.function("posix_spawn_file_actions_addclose"), Libc.address(actions), -1))
                        .hasMessage("posix_spawn_file_actions_addclose x: bad file descriptor (EBADF)");
            } finally {
                Libc.checkErrorNumber(arena, "x", Libc.function("posix_spawn_file_actions_destroy"),
                        Libc.address(actions));
            }
        }
    }

    @Test
    void misuseIsRefusedBeforeTheCall() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.callState(arena);
            assertThatThrownBy(() -> Libc.call(state, Libc.function("getpid"), 1, 2, 3, 4, 5, 6, 7))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("more than 6");
            assertThatThrownBy(() -> Libc.address(MemorySegment.ofArray(new byte[1])))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Libc.function("nido_no_such_function"))
                    .isInstanceOf(UnsatisfiedLinkError.class).hasMessageContaining("nido_no_such_function");
            assertThat(Libc.address(MemorySegment.NULL)).isZero();
        }
    }
}
