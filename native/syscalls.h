/* syscalls.h - raw wrappers for system calls glibc 2.36 does not wrap. */
#ifndef NIDO_SYSCALLS_H
#define NIDO_SYSCALLS_H

#include <stdint.h>
#include <linux/close_range.h>
#include <linux/filter.h>
#include <linux/openat2.h>   /* struct open_how, RESOLVE_* */
#include <linux/seccomp.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41) /* ioctl_tty(2): open the pty peer safely */
#endif
#ifndef PR_CAP_AMBIENT
#define PR_CAP_AMBIENT 47
#define PR_CAP_AMBIENT_RAISE 2
#define PR_CAP_AMBIENT_CLEAR_ALL 4
#endif

/* pivot_root(2) */
static inline int sys_pivot_root(const char *new_root, const char *put_old)
{
	return (int)syscall(SYS_pivot_root, new_root, put_old);
}

/* openat2(2) */
static inline int sys_openat2(int dirfd, const char *path, struct open_how *how)
{
	return (int)syscall(SYS_openat2, dirfd, path, how, sizeof(*how));
}

/* seccomp(2) */
static inline int sys_seccomp(unsigned int op, unsigned int flags, void *args)
{
	return (int)syscall(SYS_seccomp, op, flags, args);
}

/* pidfd_open(2): lets a hook's exit be waited for with a poll timeout */
static inline int sys_pidfd_open(pid_t pid, unsigned int flags)
{
	return (int)syscall(SYS_pidfd_open, pid, flags);
}

/* clone(2) used like fork(2): a NULL stack means the child runs on a copy of
 * the parent's stack, returning 0 from here. Unlike fork() it takes namespace
 * flags, and CLONE_NEWPID/CLONE_NEWUSER must be given at creation (a new pid
 * namespace applies to children only, pid_namespaces(7)). With every pointer
 * argument 0, the architecture-specific argument order does not matter.
 * glibc's cached thread id is stale in the child: the child must not call
 * raise(3) or abort(3). */
static inline pid_t sys_clone_fork(unsigned long flags)
{
	return (pid_t)syscall(SYS_clone, flags, 0, 0, 0, 0);
}

/* capget(2)/capset(2), version 3: two 32-bit words per set */
struct cap_header { uint32_t version; int pid; };
struct cap_data { uint32_t effective, permitted, inheritable; };
#define CAP_VERSION_3 0x20080522

static inline int sys_capset(struct cap_header *h, struct cap_data d[2])
{
	return (int)syscall(SYS_capset, h, d);
}

#endif
