package dev.nido.cgroup.v2;

import dev.nido.oci.HugepageLimit;

import java.util.function.BiConsumer;

/** The v2 hugetlb controller: hugetlb.&lt;size&gt;.max. */
public final class HugetlbV2 {
    private HugetlbV2() {
    }

    public static void plan(HugepageLimit h, BiConsumer<String, String> write) {
        write.accept("hugetlb." + h.pageSize() + ".max", h.limit() < 0 ? "max" : Long.toString(h.limit()));
    }
}
