package dev.nido.runtime.plan;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Encodes a {@link LaunchPlan} in the binary format of docs/plan-format.md. */
public final class PlanEncoder {
    static final int MAGIC = 0x4f44494e; // "NIDO" little-endian
    static final int VERSION = 1;

    private PlanEncoder() {
    }

    public static byte[] encode(LaunchPlan plan) {
        Out out = new Out();
        out.u32(MAGIC).u32(VERSION);
        for (PlanStep step : plan.steps()) {
            Out payload = new Out();
            fields(step, payload);
            byte[] p = payload.bytes();
            out.u16(step.opcode()).u16(0).u32(p.length).raw(p);
        }
        out.u16(0).u16(0).u32(0); // END
        return out.bytes();
    }

    private static void fields(PlanStep step, Out o) {
        switch (step) {
            case PlanStep.Mode m -> o.u32(m.mode());
            case PlanStep.JoinNamespace j -> o.u32((int) j.ns().cloneFlag()).str(j.path());
            case PlanStep.Unshare u -> o.u64(u.flags());
            case PlanStep.WriteFile w -> o.str(w.path()).str(w.content());
            case PlanStep.Clone c -> o.u64(c.flags());
            case PlanStep.ConsoleRelay c -> { }
            case PlanStep.WaitGo w -> { }
            case PlanStep.SetHostname h -> o.str(h.name());
            case PlanStep.SetDomainname d -> o.str(d.name());
            case PlanStep.Rootfs r -> o.str(r.path());
            case PlanStep.Mount m -> o.str(m.source()).str(m.target()).str(m.fstype()).u64(m.flags())
                    .str(m.data()).u32(m.targetFlags());
            case PlanStep.Mknod m -> o.str(m.path()).u32(m.mode()).u64(m.dev()).u32(m.uid()).u32(m.gid());
            case PlanStep.Symlink s -> o.str(s.target()).str(s.linkPath());
            case PlanStep.PivotRoot p -> { }
            case PlanStep.Chroot c -> { }
            case PlanStep.MaskPath m -> o.str(m.path());
            case PlanStep.ReadonlyPath r -> o.str(r.path());
            case PlanStep.RemountReadonly r -> o.str(r.path());
            case PlanStep.Rlimit r -> o.u32(r.resource()).u64(r.soft()).u64(r.hard());
            case PlanStep.Umask u -> o.u32(u.mask());
            case PlanStep.Setsid s -> { }
            case PlanStep.Console c -> o.u32(c.fd());
            case PlanStep.Chdir c -> o.str(c.path());
            case PlanStep.User u -> o.u32(u.uid()).u32(u.gid())
                    .strv(u.groups().stream().map(String::valueOf).toList()).u32(u.lastCap())
                    .u64(u.bounding()).u64(u.effective()).u64(u.permitted()).u64(u.inheritable()).u64(u.ambient());
            case PlanStep.NoNewPrivileges n -> { }
            case PlanStep.Seccomp s -> o.u32(s.flags()).bytes(s.program());
            case PlanStep.Ready r -> { }
            case PlanStep.OpenFifo f -> o.str(f.path());
            case PlanStep.WaitFifo w -> { }
            case PlanStep.RunHook h -> o.str(h.path()).strv(h.args()).strv(h.env()).u32(h.timeout()).str(h.stdin());
            case PlanStep.Exec e -> o.str(e.path()).strv(e.argv()).strv(e.env());
            case PlanStep.Mkdir m -> o.str(m.path()).u32(m.mode());
            case PlanStep.OomScoreAdj a -> o.str(Integer.toString(a.value()));
            case PlanStep.FindExec f -> o.str(f.path()).strv(f.env());
            case PlanStep.IdmapTree t -> o.str(t.source()).u32(t.recursive() ? 1 : 0).str(t.uidMap()).str(t.gidMap())
                    .u64(t.attrs());
            case PlanStep.MoveTree t -> o.u32(t.index()).str(t.target()).u32(t.targetFlags());
            case PlanStep.Listener l -> o.str(l.socketPath()).str(l.metadataJson());
            case PlanStep.Monitor m -> o.str(m.dir()).str(m.socket()).str(m.client()).u32(m.flags()).u64(m.logMax())
                    .u32(m.logFiles()).strv(m.exitCommand());
        }
    }

    /** A little-endian byte sink. */
    static final class Out {
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream(256);
        private final ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);

        Out u16(int v) {
            scratch.clear();
            scratch.putShort((short) v);
            buf.write(scratch.array(), 0, 2);
            return this;
        }

        Out u32(int v) {
            scratch.clear();
            scratch.putInt(v);
            buf.write(scratch.array(), 0, 4);
            return this;
        }

        Out u64(long v) {
            scratch.clear();
            scratch.putLong(v);
            buf.write(scratch.array(), 0, 8);
            return this;
        }

        Out str(String s) {
            return bytes(s.getBytes(StandardCharsets.UTF_8));
        }

        Out strv(List<String> v) {
            u32(v.size());
            v.forEach(this::str);
            return this;
        }

        Out bytes(byte[] b) {
            u32(b.length);
            return raw(b);
        }

        Out raw(byte[] b) {
            buf.write(b, 0, b.length);
            return this;
        }

        byte[] bytes() {
            return buf.toByteArray();
        }
    }
}
