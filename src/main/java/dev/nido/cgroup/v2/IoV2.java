package dev.nido.cgroup.v2;

import dev.nido.oci.BlockIO;
import dev.nido.oci.ThrottleDevice;
import dev.nido.oci.WeightDevice;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/** The v2 io controller: io.weight (from v1 blkio weights) and io.max per device. */
public final class IoV2 {
    private IoV2() {
    }

    public static void plan(BlockIO b, BiConsumer<String, String> write, Consumer<String> problem) {
        if (b.weight() != null && b.weight() != 0) {
            write.accept("io.weight", "default " + weight(b.weight()));
        }
        if (b.leafWeight() != null && b.leafWeight() != 0) {
            problem.accept("linux.resources.blockIO.leafWeight: not supported on cgroup v2 (leave it unset)");
        }
        for (WeightDevice d : b.weightDevice()) {
            if (d.weight() != null) {
                write.accept("io.weight", d.major() + ":" + d.minor() + " " + weight(d.weight()));
            }
        }
        Map<String, StringBuilder> max = new LinkedHashMap<>();
        limits(max, "rbps", b.throttleReadBpsDevice());
        limits(max, "wbps", b.throttleWriteBpsDevice());
        limits(max, "riops", b.throttleReadIOPSDevice());
        limits(max, "wiops", b.throttleWriteIOPSDevice());
        max.forEach((dev, keys) -> write.accept("io.max", dev + keys));
    }

    /** v1 blkio weight [10, 1000] to v2 io.weight [1, 10000], runc's formula. */
    public static long weight(long blkioWeight) {
        return 1 + (blkioWeight - 10) * 9999 / 990;
    }

    /** One io.max line per device with every key given; a rate of 0 means no limit ("max"). */
    private static void limits(Map<String, StringBuilder> max, String key, List<ThrottleDevice> devices) {
        for (ThrottleDevice d : devices) {
            String rate = d.rate() == 0 ? "max" : Long.toUnsignedString(d.rate());
            max.computeIfAbsent(d.major() + ":" + d.minor(), k -> new StringBuilder())
                    .append(' ').append(key).append('=').append(rate);
        }
    }

    /** io.stat ("maj:min rbytes=N wbytes=N rios=N wios=N ...") in runc's blkio stats shape. */
    public static java.util.Map<String, Object> stats(java.util.function.Function<String, java.util.Optional<String>> read) {
        java.util.List<java.util.Map<String, Object>> bytes = new java.util.ArrayList<>();
        java.util.List<java.util.Map<String, Object>> ios = new java.util.ArrayList<>();
        read.apply("io.stat").ifPresent(text -> {
            for (String line : text.split("\n")) {
                String[] f = line.strip().split("\\s+");
                String[] dev = f[0].split(":");
                if (dev.length != 2) {
                    continue;
                }
                for (int i = 1; i < f.length; i++) {
                    String[] kv = f[i].split("=");
                    if (kv.length != 2) {
                        continue;
                    }
                    switch (kv[0]) {
                        case "rbytes" -> bytes.add(entry(dev, "Read", kv[1]));
                        case "wbytes" -> bytes.add(entry(dev, "Write", kv[1]));
                        case "rios" -> ios.add(entry(dev, "Read", kv[1]));
                        case "wios" -> ios.add(entry(dev, "Write", kv[1]));
                        default -> { }
                    }
                }
            }
        });
        java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
        if (read.apply("io.stat").isPresent()) {
            out.put("ioServiceBytesRecursive", bytes);
            out.put("ioServicedRecursive", ios);
        }
        return out;
    }

    private static java.util.Map<String, Object> entry(String[] dev, String op, String value) {
        java.util.Map<String, Object> e = new java.util.LinkedHashMap<>();
        e.put("major", Long.parseLong(dev[0]));
        e.put("minor", Long.parseLong(dev[1]));
        e.put("op", op);
        e.put("value", Long.parseLong(value));
        return e;
    }
}
