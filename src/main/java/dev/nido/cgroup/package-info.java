/**
 * Control groups: detects the host's layout (v1, hybrid, v2), creates and removes the cgroups
 * of containers, places processes in them, translates {@code linux.resources} into file writes
 * routed per controller to v1 or v2 ({@link dev.nido.cgroup.ResourcePlanner}, with the
 * per-version translations in {@code .v1} and {@code .v2}), applies them all-or-nothing, freezes,
 * and reports statistics. It never touches a cgroup it did not create, except to enable a v2
 * controller in the hierarchy root's cgroup.subtree_control.
 */
package dev.nido.cgroup;
