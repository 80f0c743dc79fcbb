package dev.nido.runtime;

import dev.nido.linux.Errno;
import dev.nido.linux.Fd;
import dev.nido.linux.LinuxException;
import dev.nido.linux.Pipe;
import dev.nido.linux.Syscalls;
import dev.nido.runtime.plan.EventDecoder;
import dev.nido.runtime.plan.HelperEvent;
import dev.nido.runtime.plan.LaunchPlan;
import dev.nido.runtime.plan.PlanEncoder;
import dev.nido.runtime.plan.PlanStep;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One run of the C helper: spawned from a sealed memfd with the plan on fd 3 and events on
 * fd 4 (docs/plan-format.md), then driven through PID, go, READY/ERROR/EXIT.
 */
final class HelperProcess implements AutoCloseable {
    private final Syscalls sys;
    private final LaunchPlan plan;
    private final int shimPid;
    private Fd control;
    private final Fd events;
    private final EventDecoder decoder = new EventDecoder();
    private final byte[] buf = new byte[4096];
    private boolean reaped;

    private HelperProcess(Syscalls sys, LaunchPlan plan, int shimPid, Fd control, Fd events) {
        this.sys = sys;
        this.plan = plan;
        this.shimPid = shimPid;
        this.control = control;
        this.events = events;
    }

    /**
     * A plan encoded and the helper read, ready to spawn: the part of a start that needs no
     * kernel call, so that a launch can do it while the native calls are still being linked.
     */
    record Prepared(LaunchPlan plan, byte[] encoded, byte[] helper) {
        static Prepared of(LaunchPlan plan) {
            return new Prepared(plan, PlanEncoder.encode(plan), HelperBinary.bytes());
        }
    }

    /** Spawns the helper and writes the plan; {@code console} (may be null) becomes its fd 5. */
    static HelperProcess start(Syscalls sys, LaunchPlan plan, String label, Fd console) {
        return start(sys, Prepared.of(plan), label, console);
    }

    /** {@link #start(Syscalls, LaunchPlan, String, Fd)} of a plan prepared beforehand. */
    static HelperProcess start(Syscalls sys, Prepared prepared, String label, Fd console) {
        LaunchPlan plan = prepared.plan();
        byte[] encoded = prepared.encoded();
        Pipe planPipe = sys.pipe();
        Pipe eventPipe = sys.pipe();
        Fd exe = HelperBinary.sealedCopy(sys, prepared.helper());
        PhaseTrace.mark("helper copied");
        int pid;
        try {
            Map<Integer, Fd> fds = new HashMap<>();
            fds.put(3, planPipe.readEnd());
            fds.put(4, eventPipe.writeEnd());
            if (console != null) {
                fds.put(5, console);
            }
            pid = sys.spawn("/proc/self/fd/" + exe.value(), List.of("nido-shim", label), List.of(), fds);
        } catch (RuntimeException e) {
            closeAll(sys, planPipe.readEnd(), planPipe.writeEnd(), eventPipe.readEnd(), eventPipe.writeEnd(), exe);
            throw e;
        }
        closeAll(sys, planPipe.readEnd(), eventPipe.writeEnd(), exe);
        HelperProcess h = new HelperProcess(sys, plan, pid, planPipe.writeEnd(), eventPipe.readEnd());
        try {
            sys.writeAll(planPipe.writeEnd(), encoded, 0, encoded.length);
        } catch (LinuxException e) {
            // EPIPE: the helper died at once; its exit and events tell why.
        }
        return h;
    }

    private static void closeAll(Syscalls sys, Fd... fds) {
        for (Fd f : fds) {
            sys.close(f);
        }
    }

    int shimPid() {
        return shimPid;
    }

    /** The next event, or null at end of stream (the helper and its child closed the pipe). */
    HelperEvent next() {
        while (true) {
            HelperEvent e = decoder.next();
            if (e != null) {
                return e;
            }
            int n = sys.read(events, buf, 0, buf.length);
            if (n == 0) {
                return null;
            }
            decoder.feed(buf, 0, n);
        }
    }

    /** Waits for the child's pid; an ERROR or a dead helper becomes a ContainerException. */
    int awaitPid() {
        HelperEvent e = next();
        if (e instanceof HelperEvent.Pid p) {
            return p.pid();
        }
        throw failure(e);
    }

    /**
     * Waits for READY (true). In a plan without READY the stream may end first when the
     * child has exec'd (false).
     */
    boolean awaitReady() {
        HelperEvent e = next();
        if (e instanceof HelperEvent.Ready) {
            return true;
        }
        if (e == null && reapStatus() == 0) {
            return false;
        }
        throw failure(e);
    }

    /**
     * Monitor mode: reads events until the helper closes its pipe, calls {@code onReady} at
     * READY, reaps the helper, and returns the container's exit status as a shell reports it
     * (the code, or 128 + signal). An ERROR becomes a ContainerException naming the step.
     */
    int awaitExit(Runnable onReady) {
        int status = -1;
        ContainerException failure = null;
        for (HelperEvent e = next(); e != null; e = next()) {
            switch (e) {
                case HelperEvent.Ready r -> onReady.run();
                case HelperEvent.Exit x -> status = x.status();
                case HelperEvent.Error err -> failure = new ContainerException(describe(err));
                case HelperEvent.Pid p -> { }
            }
        }
        reapStatus();
        if (failure != null) {
            throw failure;
        }
        if (status == -1) {
            throw new ContainerException("the helper exited without reporting the exit status");
        }
        return dev.nido.linux.WaitStatus.shellCode(status);
    }

    /** Lets the child go on past WAIT_GO, handing it the state for in-container hooks. */
    void go(byte[] state) {
        if (control == null) {
            return;
        }
        byte[] msg = new byte[5 + state.length];
        msg[0] = 'G';
        java.nio.ByteBuffer.wrap(msg, 1, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(state.length);
        System.arraycopy(state, 0, msg, 5, state.length);
        try {
            sys.writeAll(control, msg, 0, msg.length);
        } catch (LinuxException e) {
            // the helper is gone; its events say why
        }
        sys.close(control);
        control = null;
    }

    /** Tells the helper to kill its child and exit. */
    void abort() {
        sendControl((byte) 'A');
    }

    private void sendControl(byte b) {
        if (control == null) {
            return;
        }
        try {
            sys.writeAll(control, new byte[] {b}, 0, 1);
        } catch (LinuxException e) {
            // the helper is gone; its events say why
        }
        sys.close(control);
        control = null;
    }

    /** Turns an unexpected event (or end of stream) into an error that names the failed step. */
    ContainerException failure(HelperEvent e) {
        if (e instanceof HelperEvent.Error err) {
            return new ContainerException(describe(err));
        }
        if (e == null) {
            int status = reapStatus();
            return new ContainerException("container setup failed: the helper " + exitText(status)
                    + " without reporting an error");
        }
        return new ContainerException("container setup failed: unexpected helper event " + e);
    }

    String describe(HelperEvent.Error err) {
        PlanStep step = plan.step(err.index());
        // errors name real paths: "$ROOTFS" is for --explain, where the variable is set first
        String what = step != null ? step.describe().replace("$ROOTFS", plan.rootfs()) : "helper step " + err.index();
        // A hook's failure is its exit status or timeout (the helper's message); the errno it
        // carries is only a marker, not the cause.
        boolean hook = step instanceof PlanStep.RunHook && err.message() != null && !err.message().isEmpty();
        String detail = err.errno() != 0 && !hook ? Errno.describe(err.errno()) : "";
        String msg = err.message() == null ? "" : err.message();
        if (!msg.isEmpty() && !detail.isEmpty()) {
            detail = msg + ": " + detail;
        } else if (!msg.isEmpty()) {
            detail = msg;
        }
        return what + ": " + detail;
    }

    private static String exitText(int status) {
        if ((status & 0x7f) == 0) {
            return "exited with status " + ((status >> 8) & 0xff);
        }
        return "was killed by signal " + (status & 0x7f);
    }

    /**
     * After READY of a plan with MONITOR: the helper lives on as the container's monitor. Our ends
     * of its pipes are closed and it is neither waited for nor killed (when we exit, it is
     * reparented); returns its pid.
     */
    int release() {
        reaped = true;
        return shimPid;
    }

    /** Waits for the helper process itself and returns its raw wait status (once). */
    int reapStatus() {
        if (reaped) {
            return 0;
        }
        reaped = true;
        return sys.waitpid(shimPid);
    }

    @Override
    public void close() {
        if (control != null) {
            sys.close(control);
            control = null;
        }
        sys.close(events);
        if (!reaped) {
            try {
                sys.kill(shimPid, 9);
            } catch (LinuxException e) {
                // already gone
            }
            reapStatus();
        }
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
