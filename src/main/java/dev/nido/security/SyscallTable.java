package dev.nido.security;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Syscall names and numbers of one {@link Arch}, read on first use from the resource
 * {@code syscalls-<arch>.txt} that {@code scripts/gen-syscall-tables.py} writes from the kernel
 * headers: "name number" lines in ascending number order (x32 numbers include
 * {@link Arch#X32_SYSCALL_BIT}). Parsed by hand, without regular expressions: this runs on every
 * container start. Syscalls have positions 0..size-1 in number order, so callers can keep
 * per-syscall data in arrays and walk them in number order without sorting.
 */
final class SyscallTable {
    private static final SyscallTable[] LOADED = new SyscallTable[Arch.values().length];

    private final String[] names;
    private final int[] numbers;
    private final Map<String, Integer> positions;

    private SyscallTable(String[] names, int[] numbers) {
        this.names = names;
        this.numbers = numbers;
        this.positions = new HashMap<>(names.length * 2);
        for (int i = 0; i < names.length; i++) {
            positions.put(names[i], i);
        }
    }

    /** The table of {@code arch}, loaded once. */
    static SyscallTable of(Arch arch) {
        synchronized (LOADED) {
            SyscallTable t = LOADED[arch.ordinal()];
            if (t == null) {
                t = parse(Resources.read(arch.tableResource()), arch.tableResource());
                LOADED[arch.ordinal()] = t;
            }
            return t;
        }
    }

    /** The position of {@code name} in number order, or -1 when the arch has no such syscall. */
    int position(String name) {
        Integer p = positions.get(name);
        return p == null ? -1 : p;
    }

    /** The number of {@code name}, or -1 when the arch has no such syscall. */
    int number(String name) {
        int p = position(name);
        return p < 0 ? -1 : numbers[p];
    }

    /** The number of the syscall at {@code position}. */
    int numberAt(int position) {
        return numbers[position];
    }

    /** The name of syscall {@code nr}, or null. */
    String name(int nr) {
        int p = positionOf(nr);
        return p < 0 ? null : names[p];
    }

    /** The position of syscall number {@code nr}, or -1 (a binary search). */
    int positionOf(int nr) {
        int low = 0;
        int high = numbers.length - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (numbers[mid] < nr) {
                low = mid + 1;
            } else if (numbers[mid] > nr) {
                high = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    /** How many syscalls the table has. */
    int size() {
        return names.length;
    }

    /**
     * Parses "name number" lines, ascending by number; lines starting with '#' are comments. One
     * pass over the bytes (the text is ASCII), since on a cold JVM this loop runs interpreted.
     */
    static SyscallTable parse(byte[] text, String source) {
        String[] names = new String[text.length / 3 + 1]; // a line has at least 3 bytes
        int[] numbers = new int[names.length];
        char[] name = new char[64];
        int n = 0;
        int i = 0;
        while (i < text.length) {
            if (text[i] == '#' || text[i] == '\n') {
                while (i < text.length && text[i] != '\n') {
                    i++;
                }
                i++;
                continue;
            }
            int length = 0;
            byte b;
            while ((b = i < text.length ? text[i] : (byte) '\n') != ' ') {
                if (b == '\n' || length == name.length) {
                    throw new IllegalStateException(source + ": a line is not \"name number\"");
                }
                name[length++] = (char) b;
                i++;
            }
            long nr = 0;
            i++;
            while (i < text.length && (b = text[i]) != '\n') {
                if (b < '0' || b > '9' || nr > Integer.MAX_VALUE) {
                    throw new IllegalStateException(source + ": a bad number");
                }
                nr = nr * 10 + (b - '0');
                i++;
            }
            i++;
            if (n > 0 && nr <= numbers[n - 1]) {
                throw new IllegalStateException(source + ": numbers must ascend");
            }
            names[n] = new String(name, 0, length);
            numbers[n++] = (int) nr;
        }
        return new SyscallTable(Arrays.copyOf(names, n), Arrays.copyOf(numbers, n));
    }
}
