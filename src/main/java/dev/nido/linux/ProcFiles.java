package dev.nido.linux;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Reads kernel pseudo-files (/proc, /sys, cgroupfs) from offset 0 in large reads. Not
 * Files.readString: for a file whose st_size is 0 it reads 1 byte first, and sysctl files
 * (proc_dointvec) answer EOF at any non-zero offset, so /proc/sys/kernel/cap_last_cap would
 * read as "4" instead of "40".
 */
public final class ProcFiles {
    private ProcFiles() {
    }

    public static String read(Path file) throws IOException {
        try (InputStream in = new FileInputStream(file.toFile())) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
