package dev.nido.runtime;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** --pid-file: written atomically, as the callers read it as soon as the command returns. */
final class PidFile {
    private PidFile() {
    }

    static void write(Path file, int pid) {
        Path abs = file.toAbsolutePath();
        StateStore.writeAtomically(abs, Integer.toString(pid).getBytes(StandardCharsets.US_ASCII));
    }
}
