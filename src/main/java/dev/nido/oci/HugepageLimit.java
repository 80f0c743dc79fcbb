package dev.nido.oci;

/** A hugetlb limit in bytes (uint64) for one page size such as {@code 2MB}. */
public record HugepageLimit(String pageSize, Long limit) {
    /** Its JSON (see {@link JsonCodec}); {@code limit} is uint64. */
    static final JsonCodec<HugepageLimit> JSON = new JsonCodec<>() {
        @Override
        HugepageLimit fromJson(JsonTree o) {
            return new HugepageLimit(o.string("pageSize"), o.uint64("limit"));
        }

        @Override
        void toJson(JsonOut out, HugepageLimit r) {
            out.field("pageSize", r.pageSize()).uint64("limit", r.limit());
        }
    };
}
