/* daemon.c - the MONITOR op (parent, before CLONE) and the end of a daemon
 * monitor: exit record, clients told, exit command exec'd. The loop in
 * between is daemon_loop.c. docs/plan-format.md, "Daemon monitor". */
#include "daemon.h"
#include "report.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

struct daemon dm = {
	.dir = -1, .log = -1, .listen = -1, .ns_mnt = -1, .ns_net = -1,
	.out = -1, .err = -1, .in = -1, .master = -1, .child = -1,
};

static int listen_made; /* the socket path is ours to unlink */

static int fill_sun(struct sockaddr_un *a, const char *path)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(a->sun_path))
		return op_fail(EINVAL, path, "socket path longer than %zu bytes",
			       sizeof(a->sun_path) - 1);
	strcpy(a->sun_path, path);
	return 0;
}

/* Everything that can be refused before anything is touched. */
static int check_fields(struct op *op)
{
	const char *dir = op->f[0].s, *sock = op->f[1].s;
	struct sockaddr_un a;
	if (dir[0] != '/')
		return op_fail(EINVAL, dir, "MONITOR dir is not an absolute path");
	if (sock[0] != '/')
		return op_fail(EINVAL, sock, "MONITOR socket is not an absolute path");
	if (fill_sun(&a, sock) < 0 || (op->f[2].n && fill_sun(&a, op->f[2].s) < 0))
		return -1;
	if (op->f[3].u & ~(uint64_t)(DAEMON_STDIN_OPEN | DAEMON_TERMINAL | DAEMON_REPORT_EXIT))
		return op_fail(EINVAL, "", "unknown MONITOR flags 0x%llx",
			       (unsigned long long)op->f[3].u);
	if (op->f[5].u < 1)
		return op_fail(EINVAL, "", "MONITOR logFiles must be at least 1");
	if (op->f[6].n > 0 && op->f[6].v[0][0] != '/')
		return op_fail(EINVAL, op->f[6].v[0], "exit command is not an absolute path");
	return 0;
}

/* The pipes below must not land on 0-2: give any closed stdio /dev/null. */
static int stdio_present(void)
{
	for (int fd = 0; fd < 3; fd++) {
		if (fcntl(fd, F_GETFD) >= 0)
			continue;
		int null = open("/dev/null", O_RDWR);
		if (null < 0)
			return op_fail(errno, "/dev/null", "cannot open /dev/null");
		if (null != fd) { /* lower fds are open, so open() returned fd itself */
			close(null);
			return op_fail(EBADF, "", "cannot fill stdio slot %d", fd);
		}
	}
	return 0;
}

static int open_dir_and_log(const char *dir)
{
	dm.dir = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dm.dir < 0)
		return op_fail(errno, dir, "cannot open the container directory");
	if (log_open() < 0)
		return op_fail(errno, dir, "cannot open ctr.log");
	if (unlinkat(dm.dir, "exit", 0) < 0 && errno != ENOENT)
		return op_fail(errno, dir, "cannot remove a stale exit record");
	return 0;
}

/* The attach socket: 0600 from the start (umask around bind), so no other
 * user can attach between bind and chmod. */
static int make_listener(const char *path)
{
	struct sockaddr_un a;
	if (fill_sun(&a, path) < 0)
		return -1;
	if (unlink(path) < 0 && errno != ENOENT)
		return op_fail(errno, path, "cannot remove a stale attach socket");
	dm.listen = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (dm.listen < 0)
		return op_fail(errno, path, "socket failed");
	mode_t old = umask(0177);
	int r = bind(dm.listen, (struct sockaddr *)&a, sizeof(a));
	int e = errno;
	umask(old);
	if (r < 0)
		return op_fail(e, path, "cannot bind the attach socket");
	dm.socket_path = path;
	listen_made = 1;
	if (chmod(path, 0600) < 0)
		return op_fail(errno, path, "cannot chmod the attach socket");
	if (listen(dm.listen, 16) < 0)
		return op_fail(errno, path, "listen failed");
	return 0;
}

/* The foreground CLI listens already: connecting now, before the clone,
 * means it sees every byte the container writes. */
static int connect_client(const char *path)
{
	int fd = unix_connect(path);
	if (fd < 0)
		return op_fail(errno, path, "cannot connect to the attach client");
	/* nonblocking: a slow client is dropped, it never stalls the container */
	if (fcntl(fd, F_SETFL, O_NONBLOCK) < 0 || attach_add(fd) < 0) {
		int e = errno;
		close(fd);
		return op_fail(e, path, "cannot add the attach client");
	}
	/* The foreground CLI cleans up after the exit itself (unless it dies
	 * first) and must see every byte: it is waited for, not dropped. */
	for (int i = 0; i < DAEMON_CLIENTS_MAX; i++)
		if (dm.clients[i].fd == fd)
			dm.clients[i].cleaner = 1;
	return 0;
}

/* Later parent ops may JOIN_NS the container's network namespace (or a
 * mount namespace): the exit command must run in the helper's own. */
static int save_namespaces(void)
{
	dm.ns_mnt = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
	if (dm.ns_mnt < 0)
		return op_fail(errno, "/proc/self/ns/mnt", "cannot open namespace");
	dm.ns_net = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (dm.ns_net < 0)
		return op_fail(errno, "/proc/self/ns/net", "cannot open namespace");
	return 0;
}

static int null_onto(int target)
{
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null < 0)
		return op_fail(errno, "/dev/null", "cannot open /dev/null");
	int r = dup2(null, target); /* dup2 clears close-on-exec on target */
	int e = errno;
	close(null);
	return r < 0 ? op_fail(e, "", "dup2 failed") : 0;
}

/* A pipe whose container end becomes our fd `target`, so the child inherits
 * it through clone; our end is close-on-exec and nonblocking. */
static int pipe_onto(int target, int we_read, int *ours)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return op_fail(errno, "", "pipe failed");
	int mine = we_read ? p[0] : p[1], theirs = we_read ? p[1] : p[0];
	if (fcntl(mine, F_SETFL, O_NONBLOCK) < 0 || dup2(theirs, target) < 0)
		return op_fail(errno, "", "cannot set up a stdio pipe");
	close(theirs);
	*ours = mine;
	return 0;
}

/* The container's stdio. Its ends live only as our fds 0-2 until
 * daemon_after_clone() replaces them, so the pipes reach EOF when the
 * container's processes are gone. With TERMINAL the CONSOLE op replaces
 * 0-2 in the child with the pty. */
static int child_stdio(void)
{
	int term = (dm.flags & DAEMON_TERMINAL) != 0;
	if ((dm.flags & DAEMON_STDIN_OPEN) && !term) {
		if (pipe_onto(0, 0, &dm.in) < 0)
			return -1;
	} else if (null_onto(0) < 0) {
		return -1;
	}
	if (term)
		return null_onto(1) < 0 || null_onto(2) < 0 ? -1 : 0;
	if (pipe_onto(1, 1, &dm.out) < 0 || pipe_onto(2, 1, &dm.err) < 0)
		return -1;
	return 0;
}

/* MONITOR dir socket client flags logMax logFiles exitCommand */
int op_monitor(struct op *op)
{
	if (dm.dir >= 0)
		return op_fail(EINVAL, "", "MONITOR given twice");
	for (int i = 0; i < DAEMON_CLIENTS_MAX; i++)
		dm.clients[i].fd = -1;
	if (check_fields(op) < 0)
		return -1;
	dm.op_index = op->index;
	dm.flags = (uint32_t)op->f[3].u;
	dm.log_max = op->f[4].u;
	dm.log_files = (uint32_t)op->f[5].u;
	dm.exit_command = op->f[6].n ? op->f[6].v : NULL;
	/* a new session: the CLI's terminal and its process group signals
	 * (^C, SIGHUP at logout) never reach the monitor. EPERM: we lead one. */
	setsid();
	if (stdio_present() < 0 || open_dir_and_log(op->f[0].s) < 0 ||
	    make_listener(op->f[1].s) < 0 ||
	    (op->f[2].n && connect_client(op->f[2].s) < 0) ||
	    save_namespaces() < 0 || child_stdio() < 0)
		return -1;
	return 0;
}

/* After CLONE, parent side: drop our copies of the container's stdio. */
void daemon_after_clone(void)
{
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null < 0)
		return;
	for (int fd = 0; fd < 3; fd++)
		dup2(null, fd);
	close(null);
}

/* Failure before the hand-over: Java cleans up the container directory;
 * the socket path is ours to remove. */
void daemon_abandon(void)
{
	if (listen_made)
		unlink(dm.socket_path);
	listen_made = 0;
	if (dm.listen >= 0)
		close(dm.listen);
	dm.listen = -1;
}

/* The exit status as a shell shows it. */
static int shell_status(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 255;
}

/* Back to the helper's namespaces, a clean process: the exit command
 * (engine cleanup: unmount, network teardown) must not inherit anything of
 * the container's setup. */
static int exec_exit_command(void)
{
	sigset_t none;
	if (dm.ns_mnt >= 0)
		setns(dm.ns_mnt, CLONE_NEWNS); /* failures ignored: best effort */
	if (dm.ns_net >= 0)
		setns(dm.ns_net, CLONE_NEWNET);
	if (chdir("/") < 0) {
		/* nothing better to do: run from wherever we are */
	}
	daemon_after_clone(); /* stdio to /dev/null (as opened now) */
	/* Ignoring a signal discards it if pending (signal(7)): a forwarded
	 * signal still blocked must not kill us when the mask is emptied. */
	for (int s = 1; s < NSIG; s++)
		if (s != SIGKILL && s != SIGSTOP)
			signal(s, SIG_IGN);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (int s = 1; s < NSIG; s++)
		if (s != SIGKILL && s != SIGSTOP)
			signal(s, SIG_DFL);
	close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
	execv(dm.exit_command[0], dm.exit_command);
	return 1;
}

/* Everything is done and flushed: record, tell, clean, hand on. */
int daemon_finish(void)
{
	write_exit_record(dm.status);
	if (dm.flags & DAEMON_REPORT_EXIT) {
		report_exit(4, dm.status); /* the runtime deletes the container now; EPIPE if it is gone */
		close(4);
	}
	attach_close_all(shell_status(dm.status));
	attach_await_cleaners();
	daemon_abandon();
	if (dm.log >= 0)
		close(dm.log);
	dm.log = -1;
	if (dm.exit_command && !dm.cleaned)
		return exec_exit_command();
	return 0;
}
