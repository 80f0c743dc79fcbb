package dev.nido.runtime.plan;

import java.util.ArrayList;
import java.util.List;

/** Capability masks as setpriv(1) writes them. */
final class Caps {
    private Caps() {
    }

    static String setpriv(long mask, int lastCap) {
        if (mask == 0) {
            return "-all";
        }
        List<String> parts = new ArrayList<>();
        parts.add("-all");
        for (int c = 0; c <= lastCap; c++) {
            if ((mask & (1L << c)) != 0) {
                parts.add("+" + c);
            }
        }
        return String.join(",", parts);
    }
}
