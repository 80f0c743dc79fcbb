package dev.nido.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The user's terminal for attach and console: raw mode ({@code cfmakeraw(3)}), restored
 * afterwards, and the window size ({@code TIOCGWINSZ}, tty_ioctl(4)).
 */
public final class Terminal {
    /** glibc's struct termios is 60 bytes on x86_64 and aarch64; room to spare. */
    private static final int TERMIOS_SIZE = 128;
    /** {@code <asm-generic/ioctls.h>} TIOCGWINSZ. */
    private static final long TIOCGWINSZ = 0x5413;

    private static final Libc.Function TCGETATTR = Libc.function("tcgetattr");
    private static final Libc.Function TCSETATTR = Libc.function("tcsetattr");
    private static final Libc.Function CFMAKERAW = Libc.function("cfmakeraw");
    private static final Libc.Function IOCTL = Libc.function("ioctl");
    private static final Libc.Function ISATTY = Libc.function("isatty");

    private Terminal() {
    }

    /** A terminal's saved settings, to give back with {@link #restore}. */
    public static final class Saved {
        private final int fd;
        private final byte[] termios;

        private Saved(int fd, byte[] termios) {
            this.fd = fd;
            this.termios = termios;
        }
    }

    public static boolean isTerminal(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            return Libc.intResultOrNegatedErrno(arena, ISATTY, fd) == 1;
        }
    }

    /** Puts {@code fd} in raw mode; returns its old settings, or null when it is not a terminal. */
    public static Saved makeRaw(int fd) {
        if (!isTerminal(fd)) {
            return null;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment t = arena.allocate(TERMIOS_SIZE);
            Libc.checkInt(arena, "tcgetattr", "", TCGETATTR, fd, Libc.address(t));
            byte[] saved = t.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
            Libc.call(Libc.callState(arena), CFMAKERAW, Libc.address(t));
            Libc.checkInt(arena, "tcsetattr", "", TCSETATTR, fd, 0, Libc.address(t));
            return new Saved(fd, saved);
        }
    }

    public static void restore(Saved s) {
        if (s == null) {
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment t = arena.allocate(TERMIOS_SIZE);
            MemorySegment.copy(MemorySegment.ofArray(s.termios), 0, t, 0, TERMIOS_SIZE);
            Libc.intResultOrNegatedErrno(arena, TCSETATTR, s.fd, 0, Libc.address(t));
        }
    }

    /** {rows, columns} of the terminal on {@code fd}, or null when it is not one. */
    public static int[] size(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ws = arena.allocate(8);
            if (Libc.intResultOrNegatedErrno(arena, IOCTL, fd, TIOCGWINSZ, Libc.address(ws)) < 0) {
                return null;
            }
            int rowsCols = Libc.getInt(ws, 0);
            return new int[] {rowsCols & 0xffff, (rowsCols >>> 16) & 0xffff};
        }
    }
}
