/**
 * Control groups: detects the host's layout (v1, hybrid, v2), creates and removes the cgroups
 * of containers, places processes in them, translates {@code linux.resources} into file writes
 * routed per controller to v1 or v2 ({@link dev.nido.cgroup.ResourcePlanner}, with the
 * per-version translations in {@code .v1} and {@code .v2}), applies them all-or-nothing, freezes,
 * and reports statistics. It never touches a cgroup it did not create: a v2 controller that an
 * ancestor it did not create does not delegate is an error that says how to enable it.
 */
package dev.nido.cgroup;
