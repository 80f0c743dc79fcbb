/* init.c - the child side: setup after clone, the op table, and the first ops
 * (docs/plan-format.md, "Child ops"); filesystem ops are in fsops.c, process
 * ops in procops.c, in-root resolution in inroot.c.
 *
 * Each op is one small function, run in plan order from the table at the
 * end. An op returns 0, or -1 after op_fail() recorded errno, path and a
 * message; child_main then sends ERROR and exits. No op decides anything:
 * what to mount, which capabilities to keep, which paths to mask is Java's. */
#include "child.h"
#include "idmap.h"
#include "init.h"
#include "report.h"
#include "syscalls.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>


struct child_state ch = { -1, NULL, -1, "", 0, 0 };

/* ---- ops ---- */

/* WAIT_GO: the helper relays Java's go byte; anything else (EOF: the helper
 * died or aborted) ends the child. Until now PR_SET_PDEATHSIG made a dead
 * helper kill us; from here the container may outlive it (detach mode). */
static int op_wait_go(struct op *op)
{
	(void)op;
	static char msg[5 + GO_STATE_MAX];
	ssize_t r;
	do
		r = read(ch.sock, msg, sizeof(msg));
	while (r < 0 && errno == EINTR);
	if (r < 5 || msg[0] != 'G')
		_exit(1);
	uint32_t pid;
	memcpy(&pid, msg + 1, sizeof(pid)); /* our pid in the helper's namespace */
	ch.host_pid = (pid_t)pid;
	ch.state = msg + 5; /* the container state that came with the go */
	ch.state_len = (uint32_t)(r - 5);
	if (prctl(PR_SET_PDEATHSIG, 0) < 0)
		return op_fail(errno, "", "prctl(PR_SET_PDEATHSIG, 0) failed");
	return 0;
}

static int op_sethostname(struct op *op)
{
	if (sethostname(op->f[0].s, op->f[0].n) < 0)
		return op_fail(errno, op->f[0].s, "sethostname failed");
	return 0;
}

static int op_setdomainname(struct op *op)
{
	if (setdomainname(op->f[0].s, op->f[0].n) < 0)
		return op_fail(errno, op->f[0].s, "setdomainname failed");
	return 0;
}

/* ROOTFS: checked now, re-opened at each use (see open_root). */

static int (*const child_ops[OP_MAX + 1])(struct op *) = {
	[OP_WAIT_GO] = op_wait_go,
	[OP_SETHOSTNAME] = op_sethostname,
	[OP_SETDOMAINNAME] = op_setdomainname,
	[OP_ROOTFS] = op_rootfs,
	[OP_MOUNT] = op_mount,
	[OP_MKNOD] = op_mknod,
	[OP_SYMLINK] = op_symlink,
	[OP_PIVOT_ROOT] = op_pivot_root,
	[OP_CHROOT] = op_chroot,
	[OP_MASK_PATH] = op_mask_path,
	[OP_READONLY_PATH] = op_readonly_path,
	[OP_WRITE_FILE] = op_write_file,
	[OP_REMOUNT_RO] = op_remount_ro,
	[OP_RLIMIT] = op_rlimit,
	[OP_UMASK] = op_umask,
	[OP_SETSID] = op_setsid,
	[OP_CONSOLE] = op_console,
	[OP_CHDIR] = op_chdir,
	[OP_USER] = op_user,
	[OP_NO_NEW_PRIVS] = op_no_new_privs,
	[OP_SECCOMP] = op_seccomp,
	[OP_MOVE_TREE] = op_move_tree,
	[OP_READY] = op_ready,
	[OP_OPEN_FIFO] = op_open_fifo,
	[OP_WAIT_FIFO] = op_wait_fifo,
	[OP_RUN_HOOK] = op_run_hook,
	[OP_EXEC] = op_exec,
	[OP_MKDIR] = op_mkdir,
	[OP_OOM_SCORE_ADJ] = op_oom_score_adj,
	[OP_FIND_EXEC] = op_find_exec,
};

/* First thing after clone: no descriptor of the helper may reach the
 * container (close_range(2) CLOSE_RANGE_CLOEXEC marks them all at once, the
 * CVE-2024-21626 class), the plan and event pipes are the helper's alone, and
 * until WAIT_GO a dying helper takes us with it (PR_SET_PDEATHSIG, prctl(2)). */
static void child_setup(int console)
{
	if (console >= 0 && ch.sock == 5) { /* free the slot console takes */
		ch.sock = fcntl(5, F_DUPFD_CLOEXEC, 6);
		if (ch.sock < 0)
			_exit(1);
		close(5);
	}
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL); /* the helper blocked the forwarded signals */
	if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
		_exit(1);
	close(3);
	close(4);
	if (console >= 0) {
		/* CONSOLE_RELAY: our end of the helper's socketpair takes the
		 * console-socket slot, so the plan's CONSOLE op says fd 5 either way */
		if (console != 5) {
			if (dup3(console, 5, O_CLOEXEC) < 0)
				_exit(1);
			close(console);
		}
	}
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		_exit(1);
}

void child_main(struct plan *plan, int sock, int console)
{
	ch.sock = sock;
	child_setup(console);
	for (size_t i = plan->clone_at + 1; i < plan->count; i++) {
		struct op *op = &plan->ops[i];
		if (child_ops[op->code](op) < 0) {
			report_failure(ch.sock, op->index, op->code);
			_exit(op->code == OP_EXEC ? 127 : 1);
		}
	}
	_exit(0);
}
