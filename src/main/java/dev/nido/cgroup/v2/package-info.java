/**
 * cgroup v2 translations: one small class per controller turns a spec section into the file
 * writes of the unified hierarchy (converting v1-shaped spec values such as cpu shares and
 * memory+swap the way runc and crun do), and reads its statistics. The device controller has no
 * files on v2: {@link dev.nido.cgroup.v2.DeviceProgram} generates its eBPF program instead. No I/O, no routing.
 */
package dev.nido.cgroup.v2;
