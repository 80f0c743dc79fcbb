package dev.nido.oci;

import java.util.List;

/** {@code linux.seccomp}: the default action and rules; compiled to BPF by the security package. */
public record Seccomp(
        String defaultAction,
        Long defaultErrnoRet,
        List<String> architectures,
        List<String> flags,
        String listenerPath,
        String listenerMetadata,
        List<SeccompSyscall> syscalls) {
    /** Its JSON (see {@link JsonCodec}). */
    static final JsonCodec<Seccomp> JSON = new JsonCodec<>() {
        @Override
        Seccomp fromJson(JsonTree o) {
            return new Seccomp(
                    o.string("defaultAction"),
                    o.int64("defaultErrnoRet"),
                    o.strings("architectures"),
                    o.strings("flags"),
                    o.string("listenerPath"),
                    o.string("listenerMetadata"),
                    o.list("syscalls", SeccompSyscall.JSON));
        }

        @Override
        void toJson(JsonOut out, Seccomp r) {
            out.field("defaultAction", r.defaultAction())
                    .field("defaultErrnoRet", r.defaultErrnoRet())
                    .field("architectures", r.architectures())
                    .field("flags", r.flags())
                    .field("listenerPath", r.listenerPath())
                    .field("listenerMetadata", r.listenerMetadata())
                    .field("syscalls", r.syscalls());
        }
    };

    public Seccomp {
        architectures = Copies.list(architectures);
        flags = Copies.list(flags);
        syscalls = Copies.list(syscalls);
    }
}
