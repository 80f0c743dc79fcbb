/**
 * Control groups: detects the host's layout (v1, hybrid, v2), creates and removes the cgroups
 * of containers, places processes in them, and lists and signals their members. It never
 * changes a cgroup it did not create; the one write outside its own is {@link MigrationWarmUp}
 * moving one of nido's threads into the cgroup it is already in, which changes nothing.
 */
package dev.nido.cgroup;
