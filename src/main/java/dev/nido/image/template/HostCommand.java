package dev.nido.image.template;

import dev.nido.image.ImageException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Runs a host program a template needs (busybox, ldd, debootstrap) and says clearly when it fails. */
final class HostCommand {
    private HostCommand() {
    }

    /** Its standard output; standard error goes to {@code log} line by line when given. */
    static String run(List<String> cmd, long timeoutSeconds, Consumer<String> log, String hint) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            if (log != null) {
                pb.redirectErrorStream(true);
            }
            Process p = pb.start();
            StringBuilder out = new StringBuilder();
            try (var r = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    out.append(line).append('\n');
                    if (log != null) {
                        log.accept(line);
                    }
                }
            }
            String err = log == null ? new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8) : "";
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new ImageException(cmd.getFirst() + " did not finish in " + timeoutSeconds + " s");
            }
            if (p.exitValue() != 0) {
                String last = (log == null ? err : out.toString()).strip();
                int nl = last.lastIndexOf('\n');
                throw new ImageException(String.join(" ", cmd) + " failed (exit " + p.exitValue() + "): "
                        + (nl >= 0 ? last.substring(nl + 1) : last) + (hint == null ? "" : "; " + hint));
            }
            return out.toString();
        } catch (IOException e) {
            throw new ImageException("cannot run " + cmd.getFirst() + ": " + e.getMessage()
                    + (hint == null ? "" : "; " + hint), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageException(cmd.getFirst() + " interrupted", e);
        }
    }
}
