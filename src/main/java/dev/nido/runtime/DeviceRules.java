package dev.nido.runtime;

import dev.nido.oci.Device;
import dev.nido.oci.DeviceCgroup;
import dev.nido.oci.Resources;

import java.util.ArrayList;
import java.util.List;

/**
 * The device cgroup rules a container gets: the spec's own, then (as runc does) access to the
 * devices every container has (null, zero, full, random, urandom, tty, ptmx, the pts) and to
 * those it lists in {@code linux.devices}, and mknod of any node.
 */
final class DeviceRules {
    private DeviceRules() {
    }

    private static final List<DeviceCgroup> DEFAULT_ALLOWED = List.of(
            rule("c", null, null, "m"), rule("b", null, null, "m"),
            rule("c", 1L, 3L, "rwm"), rule("c", 1L, 5L, "rwm"), rule("c", 1L, 7L, "rwm"),
            rule("c", 1L, 8L, "rwm"), rule("c", 1L, 9L, "rwm"), rule("c", 5L, 0L, "rwm"),
            rule("c", 5L, 2L, "rwm"), rule("c", 136L, null, "rwm"));

    private static DeviceCgroup rule(String type, Long major, Long minor, String access) {
        return new DeviceCgroup(true, type, major, minor, access);
    }

    /** {@code r} with the default and listed devices allowed after the spec's rules; null stays null. */
    static Resources withDefaults(Resources r, List<Device> devices) {
        if (r == null || r.devices() == null || r.devices().isEmpty()) {
            return r;
        }
        List<DeviceCgroup> rules = new ArrayList<>(r.devices());
        rules.addAll(DEFAULT_ALLOWED);
        for (Device d : devices == null ? List.<Device>of() : devices) {
            if (!"p".equals(d.type())) {
                rules.add(rule("u".equals(d.type()) ? "c" : d.type(), d.major(), d.minor(), "rwm"));
            }
        }
        return new Resources(rules, r.memory(), r.cpu(), r.pids(), r.blockIO(), r.hugepageLimits(), r.network(),
                r.rdma(), r.unified());
    }
}
