/**
 * cgroup v1 translations: one small class per controller turns a spec section into the file
 * writes of that controller's hierarchy, and reads its statistics. These classes do no I/O and
 * know nothing of routing; validation that does not depend on the version happens before them.
 */
package dev.nido.cgroup.v1;
