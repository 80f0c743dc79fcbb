package dev.nido.cgroup.v1;

import dev.nido.oci.HugepageLimit;

import java.util.function.BiConsumer;

/** The v1 hugetlb controller: one limit file per huge page size. */
public final class HugetlbV1 {
    private HugetlbV1() {
    }

    /** hugetlb.&lt;size&gt;.limit_in_bytes; a limit that does not fit a signed 64-bit number means none (-1). */
    public static void plan(HugepageLimit h, BiConsumer<String, String> write) {
        write.accept("hugetlb." + h.pageSize() + ".limit_in_bytes", h.limit() < 0 ? "-1" : Long.toString(h.limit()));
    }
}
