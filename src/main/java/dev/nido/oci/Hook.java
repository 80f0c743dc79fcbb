package dev.nido.oci;

import java.util.List;

/** One hook: an absolute path, its argv (including argv[0]), env and a timeout in seconds. */
public record Hook(String path, List<String> args, List<String> env, Integer timeout) {
    /** Its JSON (see {@link JsonCodec}). */
    static final JsonCodec<Hook> JSON = new JsonCodec<>() {
        @Override
        Hook fromJson(JsonTree o) {
            return new Hook(o.string("path"), o.strings("args"), o.strings("env"), o.int32("timeout"));
        }

        @Override
        void toJson(JsonOut out, Hook r) {
            out.field("path", r.path()).field("args", r.args()).field("env", r.env()).field("timeout", r.timeout());
        }
    };

    public Hook {
        args = Copies.list(args);
        env = Copies.list(env);
    }
}
