/* child.h - what the child-side files share: the child state, the in-root
 * resolution helpers (inroot.c) and the op functions (fsops.c, procops.c). */
#ifndef NIDO_CHILD_H
#define NIDO_CHILD_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include "plan.h"

/* The child's state between ops. */
struct child_state {
	int sock;          /* internal socketpair to the helper (close-on-exec) */
	const char *root;  /* ROOTFS path; "/" once the root has changed */
	int fifo;          /* OPEN_FIFO descriptor, -1 if none */
	const char *state; /* the container state sent with the go (hook stdin) */
	uint32_t state_len;
	pid_t host_pid;    /* this process as the runtime sees it (sent with the go) */
};
extern struct child_state ch;

/* "" in a plan means "pass NULL" (mount(2) source, fstype, data). */
static inline const char *nz(const char *s)
{
	return s && *s ? s : NULL;
}

static inline void fd_path(char *buf, size_t n, int fd)
{
	snprintf(buf, n, "/proc/self/fd/%d", fd);
}

/* inroot.c: paths inside the rootfs, resolved with openat2(RESOLVE_IN_ROOT). */
int open_root(void);
int resolve_in(int base, const char *path, int flags);
int last_component(const char *p);
int mkdir_in_root(int base, const char *path, mode_t mode);
int make_parent(int base, const char *path, char *buf, size_t n, const char **name);
int mkfile_in_root(int base, const char *path);
int open_target(const char *path, uint32_t tflags);
int kept_flags(const char *path, unsigned long *flags);

/* fsops.c and procops.c: one function per child op. */
int op_rootfs(struct op *op);
int op_mount(struct op *op);
int op_mknod(struct op *op);
int op_symlink(struct op *op);
int op_pivot_root(struct op *op);
int op_chroot(struct op *op);
int op_mask_path(struct op *op);
int op_readonly_path(struct op *op);
int op_write_file(struct op *op);
int op_remount_ro(struct op *op);
int op_rlimit(struct op *op);
int op_umask(struct op *op);
int op_setsid(struct op *op);
int op_console(struct op *op);
int op_chdir(struct op *op);
int op_user(struct op *op);
int op_no_new_privs(struct op *op);
int op_seccomp(struct op *op);
int op_ready(struct op *op);
int op_open_fifo(struct op *op);
int op_wait_fifo(struct op *op);
int op_run_hook(struct op *op);
int op_exec(struct op *op);
int op_mkdir(struct op *op);
int op_oom_score_adj(struct op *op);
int op_find_exec(struct op *op);

#endif
