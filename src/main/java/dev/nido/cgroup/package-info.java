/**
 * Control groups: detects the host's layout (v1, hybrid, v2), creates and removes the cgroups
 * of containers, places processes in them, and lists and signals their members. It never
 * touches a cgroup it did not create.
 */
package dev.nido.cgroup;
