package dev.nido.cgroup.v1;

import dev.nido.oci.BlockIO;
import dev.nido.oci.ThrottleDevice;
import dev.nido.oci.WeightDevice;

import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** The v1 blkio controller: proportional weights (CFQ or BFQ) and per-device throttles. */
public final class BlkioV1 {
    private BlkioV1() {
    }

    public static void plan(BlockIO b, Predicate<String> has, BiConsumer<String, String> write, Consumer<String> problem) {
        // Kernels without CFQ have no blkio.weight; BFQ's file takes the same 10-1000 range (runc does the same).
        String weight = has.test("blkio.weight") ? "blkio.weight" : "blkio.bfq.weight";
        if (b.weight() != null && b.weight() != 0 && weightFile(has, problem, weight, "weight")) {
            write.accept(weight, Integer.toString(b.weight()));
        }
        if (b.leafWeight() != null && b.leafWeight() != 0 && weightFile(has, problem, "blkio.leaf_weight", "leafWeight")) {
            write.accept("blkio.leaf_weight", Integer.toString(b.leafWeight()));
        }
        for (WeightDevice d : b.weightDevice()) {
            String dev = d.major() + ":" + d.minor() + " ";
            if (d.weight() != null) {
                write.accept(weight + "_device", dev + d.weight());
            }
            if (d.leafWeight() != null) {
                write.accept("blkio.leaf_weight_device", dev + d.leafWeight());
            }
        }
        throttle(b.throttleReadBpsDevice(), "blkio.throttle.read_bps_device", write);
        throttle(b.throttleWriteBpsDevice(), "blkio.throttle.write_bps_device", write);
        throttle(b.throttleReadIOPSDevice(), "blkio.throttle.read_iops_device", write);
        throttle(b.throttleWriteIOPSDevice(), "blkio.throttle.write_iops_device", write);
    }

    private static boolean weightFile(Predicate<String> has, Consumer<String> problem, String file, String field) {
        if (!has.test(file)) {
            problem.accept("linux.resources.blockIO." + field + ": not supported on this host (" + file
                    + " is missing; it needs the CFQ or BFQ I/O scheduler), leave it unset");
        }
        return has.test(file);
    }

    /** "maj:min rate"; a rate of 0 removes the device's limit (blkio-controller.txt). */
    private static void throttle(List<ThrottleDevice> devices, String file, BiConsumer<String, String> write) {
        for (ThrottleDevice d : devices) {
            write.accept(file, d.major() + ":" + d.minor() + " " + d.rate());
        }
    }

    /**
     * runc's blkio stats from the throttle files (which count I/O under every scheduler):
     * {"ioServiceBytesRecursive": [{"major","minor","op","value"}...], "ioServicedRecursive": [...]}.
     */
    public static java.util.Map<String, Object> stats(java.util.function.Function<String, java.util.Optional<String>> read) {
        java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
        read.apply("blkio.throttle.io_service_bytes_recursive").ifPresent(t -> out.put("ioServiceBytesRecursive", entries(t)));
        read.apply("blkio.throttle.io_serviced_recursive").ifPresent(t -> out.put("ioServicedRecursive", entries(t)));
        return out;
    }

    /** "maj:min Op value" lines (the "Total" line is dropped). */
    static java.util.List<java.util.Map<String, Object>> entries(String text) {
        java.util.List<java.util.Map<String, Object>> out = new java.util.ArrayList<>();
        for (String line : text.split("\n")) {
            String[] f = line.strip().split("\\s+");
            String[] dev = f[0].split(":");
            if (f.length != 3 || dev.length != 2) {
                continue;
            }
            try {
                java.util.Map<String, Object> e = new java.util.LinkedHashMap<>();
                e.put("major", Long.parseLong(dev[0]));
                e.put("minor", Long.parseLong(dev[1]));
                e.put("op", f[1]);
                e.put("value", Long.parseLong(f[2]));
                out.add(e);
            } catch (NumberFormatException ignored) {
                // not a device line
            }
        }
        return out;
    }
}
