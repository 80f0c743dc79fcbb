package dev.nido.linux;

import java.util.List;
import java.util.Locale;

/**
 * Signal names and numbers of Linux x86_64 (signal(7)): HUP=1 … SYS=31, and the real-time
 * signals RTMIN=34 … RTMAX=64 named as {@code kill -l} does ({@code RTMIN+3}, {@code RTMAX-2}).
 * 32 and 33 have no name: glibc reserves them for threads.
 */
public final class Signals {
    public static final int HUP = 1;
    public static final int INT = 2;
    public static final int QUIT = 3;
    public static final int ABRT = 6;
    public static final int KILL = 9;
    public static final int USR1 = 10;
    public static final int USR2 = 12;
    public static final int PIPE = 13;
    public static final int ALRM = 14;
    public static final int TERM = 15;
    public static final int CHLD = 17;
    public static final int CONT = 18;
    public static final int STOP = 19;
    public static final int TSTP = 20;
    public static final int WINCH = 28;
    /** SIGRTMIN as the kernel sees it; glibc's SIGRTMIN() is 34 because it keeps 32 and 33. */
    public static final int RTMIN = 34;
    public static final int RTMAX = 64;

    /** Index = signal number; from {@code <asm/signal.h>} for x86_64. */
    private static final List<String> NAMES = List.of("",
            "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1",
            "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP",
            "TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS");

    private Signals() {
    }

    /** The name without "SIG": {@code 15 → "TERM"}, {@code 37 → "RTMIN+3"}, {@code 62 → "RTMAX-2"}. */
    public static String name(int signal) {
        if (signal >= 1 && signal < NAMES.size()) {
            return NAMES.get(signal);
        }
        if (signal == RTMIN) {
            return "RTMIN";
        }
        if (signal == RTMAX) {
            return "RTMAX";
        }
        if (signal > RTMIN && signal <= RTMIN + 15) {
            return "RTMIN+" + (signal - RTMIN);
        }
        if (signal > RTMIN + 15 && signal < RTMAX) {
            return "RTMAX-" + (RTMAX - signal);
        }
        throw new IllegalArgumentException("signal " + signal + ": no name (expected 1-31 or 34-64)");
    }

    /** {@link #name(int)} when the signal has one, else the number as text (for messages). */
    public static String nameOrNumber(int signal) {
        boolean named = (signal >= 1 && signal < NAMES.size()) || (signal >= RTMIN && signal <= RTMAX);
        return named ? name(signal) : Integer.toString(signal);
    }

    /**
     * Parses {@code "TERM"}, {@code "SIGTERM"}, {@code "sigterm"}, {@code "15"}, {@code "RTMIN+3"},
     * {@code "SIGRTMAX-1"}, also the aliases IOT, CLD and POLL.
     *
     * @throws IllegalArgumentException naming the input and what was expected
     */
    public static int parse(String text) {
        String s = text.strip().toUpperCase(Locale.ROOT);
        if (!s.isEmpty() && s.chars().allMatch(Character::isDigit)) {
            return parseNumber(text, s);
        }
        String name = s.startsWith("SIG") ? s.substring(3) : s;
        int index = NAMES.indexOf(name);
        if (index > 0) {
            return index;
        }
        int number = switch (name) {
            case "IOT" -> ABRT;
            case "CLD" -> CHLD;
            case "POLL" -> 29;
            default -> realTime(name);
        };
        if (number < 0) {
            throw invalid(text);
        }
        return number;
    }

    private static int parseNumber(String text, String digits) {
        int number;
        try {
            number = Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw invalid(text);
        }
        if (number < 1 || number > RTMAX) {
            throw new IllegalArgumentException(
                    "signal \"" + text + "\": number out of range (expected 1-" + RTMAX + ")");
        }
        return number;
    }

    /** RTMIN, RTMIN+n, RTMAX, RTMAX-n; -1 when the name is not one of them or out of range. */
    private static int realTime(String name) {
        int base;
        int sign;
        if (name.startsWith("RTMIN")) {
            base = RTMIN;
            sign = 1;
        } else if (name.startsWith("RTMAX")) {
            base = RTMAX;
            sign = -1;
        } else {
            return -1;
        }
        String rest = name.substring(5);
        if (rest.isEmpty()) {
            return base;
        }
        char op = rest.charAt(0);
        String digits = rest.substring(1);
        if (op != (sign > 0 ? '+' : '-') || digits.isEmpty() || digits.length() > 2
                || !digits.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        int number = base + sign * Integer.parseInt(digits);
        return number >= RTMIN && number <= RTMAX ? number : -1;
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("signal \"" + text
                + "\": unknown signal (expected a name such as TERM or SIGKILL, RTMIN+n, RTMAX-n, or a number 1-"
                + RTMAX + ")");
    }
}
