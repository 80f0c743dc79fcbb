package dev.nido.oci;

import java.util.List;

/** One seccomp rule: these syscall names, when all {@code args} match, get {@code action}. */
public record SeccompSyscall(List<String> names, String action, Long errnoRet, List<SeccompArg> args) {
    /** Its JSON (see {@link JsonCodec}). */
    static final JsonCodec<SeccompSyscall> JSON = new JsonCodec<>() {
        @Override
        SeccompSyscall fromJson(JsonTree o) {
            return new SeccompSyscall(
                    o.strings("names"),
                    o.string("action"),
                    o.int64("errnoRet"),
                    o.list("args", SeccompArg.JSON));
        }

        @Override
        void toJson(JsonOut out, SeccompSyscall r) {
            out.field("names", r.names())
                    .field("action", r.action())
                    .field("errnoRet", r.errnoRet())
                    .field("args", r.args());
        }
    };

    public SeccompSyscall {
        names = Copies.list(names);
        args = Copies.list(args);
    }
}
