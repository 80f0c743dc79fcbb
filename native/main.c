/* main.c - nido-shim: executes a launch plan (docs/plan-format.md).
 *
 * fd 3: the plan, then one control byte; fd 4: events; fd 5: optional
 * console socket. Reads the whole plan, runs the parent ops, clones the
 * container process, then runs the parent loop (monitor.c) while the child
 * runs the child ops (init.c). */
#include "daemon.h"
#include "idmap.h"
#include "notify.h"
#include "init.h"
#include "monitor.h"
#include "plan.h"
#include "report.h"
#include "syscalls.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define EVENT_FD 4

struct parent {
	int mode;
	int relay; /* CONSOLE_RELAY seen */
};

static int op_mode(struct parent *p, struct op *op)
{
	if (op->f[0].u != MODE_DETACH && op->f[0].u != MODE_MONITOR)
		return op_fail(EINVAL, "", "unknown mode %u", (unsigned)op->f[0].u);
	if (p->mode != MODE_DAEMON) /* MONITOR wins, whatever the order */
		p->mode = (int)op->f[0].u;
	return 0;
}

/* JOIN_NS nstype path: setns(2). Joining a user namespace needs a
 * single-threaded caller, which is why this runs here and not in the JVM. */
static int op_join_ns(struct op *op)
{
	const char *path = op->f[1].s;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return op_fail(errno, path, "cannot open namespace");
	int r = setns(fd, (int)op->f[0].u);
	int e = errno;
	close(fd);
	return r < 0 ? op_fail(e, path, "setns failed") : 0;
}

/* UNSHARE flags: unshare(2); for CLONE_NEWTIME, which only children enter. */
static int op_unshare(struct op *op)
{
	if (unshare((int)op->f[0].u) < 0)
		return op_fail(errno, "", "unshare(0x%llx) failed", (unsigned long long)op->f[0].u);
	return 0;
}

static int run_parent_op(struct parent *p, struct op *op)
{
	switch (op->code) {
	case OP_MODE: return op_mode(p, op);
	case OP_JOIN_NS: return op_join_ns(op);
	case OP_UNSHARE: return op_unshare(op);
	case OP_PWRITE_FILE: return do_write_file(op->f[0].s, op->f[1].s, op->f[1].n);
	case OP_CONSOLE_RELAY: p->relay = 1; return 0;
	case OP_IDMAP_TREE: return op_idmap_tree(op);
	case OP_LISTENER: return op_listener(op);
	case OP_MONITOR: p->mode = MODE_DAEMON; return op_monitor(op);
	default: return op_fail(EINVAL, "", "not a parent op");
	}
}

/* Namespace flags only: anything else (CLONE_VM, CLONE_THREAD, ...) would
 * break the fork-like clone, and 0x80 is CLONE_NEWTIME to unshare(2) but the
 * exit-signal byte to clone(2). */
#define CLONE_NS_FLAGS (CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | \
			CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWCGROUP)

/* CLONE: creates the child and runs the parent loop; returns the exit code. */
static int do_clone(struct plan *plan, struct parent *p)
{
	struct op *op = &plan->ops[plan->clone_at];
	uint64_t flags = op->f[0].u;
	int sv[2], cv[2] = { -1, -1 };
	struct monitor m = { .mode = p->mode, .relay = -1 };

	if (flags & ~(uint64_t)CLONE_NS_FLAGS) {
		report_error(EVENT_FD, op->index, op->code, EINVAL, "",
			     "CLONE takes only CLONE_NEW* flags (CLONE_NEWTIME: use UNSHARE)");
		return 1;
	}
	/* the pty master reaches the daemon only through the relay */
	if (p->mode == MODE_DAEMON && (dm.flags & DAEMON_TERMINAL) && !p->relay) {
		report_error(EVENT_FD, dm.op_index, OP_MONITOR, EINVAL, "",
			     "MONITOR with TERMINAL needs CONSOLE_RELAY");
		return 1;
	}
	/* SOCK_SEQPACKET: one event per message, and EOF when the child execs */
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0 ||
	    (p->relay && socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, cv) < 0)) {
		report_error(EVENT_FD, op->index, op->code, errno, "", "socketpair failed");
		return 1;
	}
	/* Blocked before the clone so none is lost in between; the child
	 * unblocks them, the parent reads them from a signalfd. */
	monitor_signals(&m.signals);
	sigprocmask(SIG_BLOCK, &m.signals, NULL);

	pid_t pid = sys_clone_fork((unsigned long)flags | SIGCHLD);
	if (pid < 0) {
		report_error(EVENT_FD, op->index, op->code, errno, "", "clone failed");
		return 1;
	}
	if (pid == 0) {
		close(sv[0]);
		if (cv[0] >= 0)
			close(cv[0]);
		child_main(plan, sv[1], cv[1]);
	}
	close(sv[1]);
	if (cv[1] >= 0)
		close(cv[1]);
	if (p->mode == MODE_DAEMON)
		daemon_after_clone(); /* the container's pipes must see EOF when it is gone */
	/* Java may close fd 4 early: EPIPE, not death. Set after the clone so
	 * the child does not inherit an ignored SIGPIPE into the container. */
	signal(SIGPIPE, SIG_IGN);
	m.child = pid;
	m.sock = sv[0];
	m.relay = cv[0];
	return monitor_run(&m);
}

/* Dispositions survive execve(2) when ignored: whatever the JVM left ignored
 * would reach the container, and an ignored SIGCHLD would auto-reap the
 * child (sigaction(2)). Start from defaults. */
static void reset_signals(void)
{
	for (int s = 1; s < NSIG; s++)
		if (s != SIGKILL && s != SIGSTOP)
			signal(s, SIG_DFL);
}

int main(int argc, char **argv)
{
	struct plan plan;
	struct plan_error perr;
	struct parent p = { .mode = MODE_MONITOR };

	(void)argc; /* argv[1] is only a label for ps(1) */
	(void)argv;
	reset_signals();
	if (plan_read(3, &plan, &perr) < 0) {
		report_error(EVENT_FD, perr.index, perr.code, EINVAL, "", perr.message);
		return 1;
	}
	for (size_t i = 0; i < plan.clone_at; i++) {
		struct op *op = &plan.ops[i];
		if (run_parent_op(&p, op) < 0) {
			report_failure(EVENT_FD, op->index, op->code);
			if (p.mode == MODE_DAEMON)
				daemon_abandon();
			return 1;
		}
	}
	int rc = do_clone(&plan, &p);
	if (rc != 0 && p.mode == MODE_DAEMON)
		daemon_abandon(); /* a failed start leaves no attach socket behind */
	return rc;
}
