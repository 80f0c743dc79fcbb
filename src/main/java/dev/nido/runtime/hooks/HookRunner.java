package dev.nido.runtime.hooks;

import dev.nido.oci.Hook;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs hooks one after another, each with the state JSON on stdin and an optional timeout. */
public final class HookRunner {
    private HookRunner() {
    }

    /** Thrown when a hook fails; the message names the hook kind, path and what happened. */
    public static final class HookFailure extends Exception {
        private static final long serialVersionUID = 1L;

        HookFailure(String message) {
            super(message);
        }
    }

    /** Runs every hook in order; the first failure stops the run. */
    public static void runAll(String kind, List<Hook> hooks, byte[] state) throws HookFailure {
        if (hooks == null) {
            return;
        }
        for (Hook h : hooks) {
            run(kind, h, state);
        }
    }

    /** Runs every hook in order and returns the failures instead of stopping (poststart, poststop). */
    public static List<String> runAllReporting(String kind, List<Hook> hooks, byte[] state) {
        List<String> failures = new ArrayList<>();
        if (hooks == null) {
            return failures;
        }
        for (Hook h : hooks) {
            try {
                run(kind, h, state);
            } catch (HookFailure e) {
                failures.add(e.getMessage());
            }
        }
        return failures;
    }

    static void run(String kind, Hook h, byte[] state) throws HookFailure {
        List<String> argv = new ArrayList<>();
        argv.add(h.path());
        if (h.args() != null && h.args().size() > 1) {
            argv.addAll(h.args().subList(1, h.args().size()));
        }
        String name = kind + " hook " + h.path();
        ProcessBuilder pb = new ProcessBuilder(argv).redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.PIPE);
        Map<String, String> env = pb.environment();
        env.clear();
        if (h.env() != null) {
            for (String e : h.env()) {
                int eq = e.indexOf('=');
                if (eq > 0) {
                    env.put(e.substring(0, eq), e.substring(eq + 1));
                }
            }
        }
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new HookFailure(name + ": cannot start: " + e.getMessage());
        }
        feed(p, state);
        waitFor(name, p, h.timeout());
    }

    private static void feed(Process p, byte[] state) {
        try (OutputStream in = p.getOutputStream()) {
            in.write(state);
        } catch (IOException e) {
            // the hook need not read its stdin
        }
    }

    private static void waitFor(String name, Process p, Integer timeout) throws HookFailure {
        try {
            boolean done = timeout == null || timeout <= 0 ? p.waitFor() >= Integer.MIN_VALUE
                    : p.waitFor(timeout, TimeUnit.SECONDS);
            if (!done) {
                p.destroyForcibly().waitFor();
                throw new HookFailure(name + ": timed out after " + timeout + "s");
            }
            if (p.exitValue() != 0) {
                throw new HookFailure(name + ": exited with status " + p.exitValue() + stderr(p));
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new HookFailure(name + ": interrupted");
        }
    }

    private static String stderr(Process p) {
        try (InputStream err = p.getErrorStream()) {
            String s = new String(err.readNBytes(400), StandardCharsets.UTF_8).strip();
            return s.isEmpty() ? "" : ": " + s.lines().findFirst().orElse("");
        } catch (IOException e) {
            return "";
        }
    }
}
