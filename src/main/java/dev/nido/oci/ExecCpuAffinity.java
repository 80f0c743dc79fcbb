package dev.nido.oci;

/** {@code process.execCPUAffinity}: CPU lists before and after exec (JSON {@code "initial"}, {@code "final"}). */
public record ExecCpuAffinity(String initial, String finalCpus) {
    /** Its JSON: {@code finalCpus} is {@code "final"}. */
    static final JsonCodec<ExecCpuAffinity> JSON = new JsonCodec<>() {
        @Override
        ExecCpuAffinity fromJson(JsonTree o) {
            return new ExecCpuAffinity(o.string("initial"), o.string("final"));
        }

        @Override
        void toJson(JsonOut out, ExecCpuAffinity r) {
            out.field("initial", r.initial()).field("final", r.finalCpus());
        }
    };
}
