/* procops.c - child ops on the process: limits, terminal, working directory,
 * credentials and capabilities, no_new_privs, seccomp, the exec fifo, hooks, exec. */
#include "child.h"
#include "init.h"
#include "notify.h"
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


int op_rlimit(struct op *op)
{
	struct rlimit rl = { .rlim_cur = op->f[1].u, .rlim_max = op->f[2].u };
	if (prlimit(0, (__rlimit_resource_t)op->f[0].u, &rl, NULL) < 0)
		return op_fail(errno, "", "prlimit(%u) failed", (unsigned)op->f[0].u);
	return 0;
}

int op_umask(struct op *op)
{
	umask((mode_t)op->f[0].u & 0777);
	return 0;
}

int op_setsid(struct op *op)
{
	(void)op;
	if (setsid() < 0)
		return op_fail(errno, "", "setsid failed");
	return 0;
}

/* Sends fd with one SCM_RIGHTS message (unix(7)); the payload is the name. */
static int send_fd(int sock, int fd, char *name)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { name, strlen(name) + 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	return sendmsg(sock, &msg, MSG_NOSIGNAL) < 0 ? -1 : 0;
}

/* CONSOLE fd: a new pty whose master goes to the console socket and whose
 * peer becomes our controlling tty and stdio. TIOCGPTPEER opens the peer from
 * the master itself, not by a /dev/pts path the image could have replaced
 * (ioctl_tty(2)). TIOCSCTTY needs a session leader: SETSID comes first. */
int op_console(struct op *op)
{
	int sock = (int)op->f[0].u;
	unsigned int n = 0;
	char name[32];
	int master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0)
		return op_fail(errno, "/dev/ptmx", "cannot open pty master");
	if (unlockpt(master) < 0)
		return op_fail(errno, "/dev/ptmx", "unlockpt failed");
	int peer = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (peer < 0)
		return op_fail(errno, "/dev/ptmx", "TIOCGPTPEER failed");
	if (ioctl(master, TIOCGPTN, &n) < 0)
		return op_fail(errno, "/dev/ptmx", "TIOCGPTN failed");
	snprintf(name, sizeof(name), "/dev/pts/%u", n);
	if (send_fd(sock, master, name) < 0)
		return op_fail(errno, name, "sending the pty master failed");
	close(master);
	close(sock);
	if (ioctl(peer, TIOCSCTTY, 0) < 0)
		return op_fail(errno, name, "TIOCSCTTY failed");
	for (int i = 0; i < 3; i++)
		if (dup2(peer, i) < 0)
			return op_fail(errno, name, "dup2 of the pty failed");
	if (peer > 2)
		close(peer);
	return 0;
}

/* CHDIR: a cwd inherited from a leaked host directory fd would make getcwd
 * return "(unreachable)..." or fail (CVE-2024-21626): refuse it. */
int op_chdir(struct op *op)
{
	const char *path = op->f[0].s;
	char buf[PATH_MAX];
	if (chdir(path) < 0)
		return op_fail(errno, path, "chdir failed");
	if (!getcwd(buf, sizeof(buf)) || buf[0] != '/')
		return op_fail(EPERM, path, "working directory is outside the root");
	return 0;
}

static int parse_groups(char **v, uint32_t n, gid_t *out)
{
	for (uint32_t i = 0; i < n; i++) {
		char *end;
		errno = 0;
		unsigned long g = strtoul(v[i], &end, 10);
		if (errno || end == v[i] || *end || g > UINT32_MAX - 1)
			return -1;
		out[i] = (gid_t)g;
	}
	return 0;
}

/* setgroups(2) is refused with EPERM in a user namespace whose
 * /proc/self/setgroups is "deny" (user_namespaces(7)); with no groups asked
 * for there is nothing to drop there, so that case is not an error. */
static int setgroups_denied(void)
{
	char b[8] = "";
	int fd = open("/proc/self/setgroups", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t r = read(fd, b, sizeof(b) - 1);
	close(fd);
	return r > 0 && !strncmp(b, "deny", 4);
}

/* USER uid gid groups last_cap bounding effective permitted inheritable ambient
 * Order matters (capabilities(7)): the bounding set needs CAP_SETPCAP, so it
 * is cut while still privileged; KEEPCAPS keeps the permitted set across the
 * uid change; capset then sets the exact sets; ambient bits last, as they must
 * be in both permitted and inheritable. */
int op_user(struct op *op)
{
	uid_t uid = (uid_t)op->f[0].u;
	gid_t gid = (gid_t)op->f[1].u;
	uint32_t ngroups = op->f[2].n;
	uint32_t last_cap = (uint32_t)op->f[3].u;
	uint64_t bounding = op->f[4].u, eff = op->f[5].u, prm = op->f[6].u;
	uint64_t inh = op->f[7].u, amb = op->f[8].u;
	gid_t *groups = calloc(ngroups + 1, sizeof(gid_t));

	if (!groups || parse_groups(op->f[2].v, ngroups, groups) < 0)
		return op_fail(EINVAL, "", "bad group list");
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		return op_fail(errno, "", "PR_SET_KEEPCAPS failed");
	for (uint32_t c = 0; c <= last_cap && c < 64; c++)
		if (!(bounding & (1ULL << c)) && prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0)
			return op_fail(errno, "", "PR_CAPBSET_DROP(%u) failed", c);
	if (setgroups(ngroups, groups) < 0 &&
	    !(errno == EPERM && ngroups == 0 && setgroups_denied()))
		return op_fail(errno, "", "setgroups failed");
	if (setresgid(gid, gid, gid) < 0)
		return op_fail(errno, "", "setresgid(%u) failed", (unsigned)gid);
	if (setresuid(uid, uid, uid) < 0)
		return op_fail(errno, "", "setresuid(%u) failed", (unsigned)uid);

	struct cap_header h = { CAP_VERSION_3, 0 };
	struct cap_data d[2] = {
		{ (uint32_t)eff, (uint32_t)prm, (uint32_t)inh },
		{ (uint32_t)(eff >> 32), (uint32_t)(prm >> 32), (uint32_t)(inh >> 32) },
	};
	if (sys_capset(&h, d) < 0)
		return op_fail(errno, "", "capset failed");
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
		return op_fail(errno, "", "clearing ambient capabilities failed");
	for (uint32_t c = 0; c < 64; c++)
		if ((amb & (1ULL << c)) &&
		    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, c, 0, 0) < 0)
			return op_fail(errno, "", "raising ambient capability %u failed", c);
	if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
		return op_fail(errno, "", "PR_SET_KEEPCAPS 0 failed");
	free(groups);
	return 0;
}

int op_no_new_privs(struct op *op)
{
	(void)op;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return op_fail(errno, "", "PR_SET_NO_NEW_PRIVS failed");
	return 0;
}

/* SECCOMP flags program: seccomp(2) SECCOMP_SET_MODE_FILTER. */
int op_seccomp(struct op *op)
{
	uint32_t len = op->f[1].n;
	if (len == 0 || len % sizeof(struct sock_filter) || len / sizeof(struct sock_filter) > 0xffff)
		return op_fail(EINVAL, "", "bad seccomp program length %u", len);
	struct sock_fprog prog = {
		.len = (unsigned short)(len / sizeof(struct sock_filter)),
		.filter = (struct sock_filter *)(void *)op->f[1].s, /* malloc'd: aligned */
	};
	int r = sys_seccomp(SECCOMP_SET_MODE_FILTER, (unsigned)op->f[0].u, &prog);
	if (r < 0)
		return op_fail(errno, "", "seccomp(SECCOMP_SET_MODE_FILTER) failed");
	if (op->f[0].u & SECCOMP_FILTER_FLAG_NEW_LISTENER)
		return send_notify_fd(r); /* seccomp(2) returned the listener fd */
	return 0;
}

int op_ready(struct op *op)
{
	(void)op;
	if (report_ready(ch.sock) < 0)
		return op_fail(errno, "", "sending READY failed");
	return 0;
}

/* OPEN_FIFO: O_RDWR never blocks on a fifo (fifo(7)) and keeps a writer, so
 * WAIT_FIFO's read blocks until `start` writes rather than seeing EOF. */
int op_open_fifo(struct op *op)
{
	ch.fifo = open(op->f[0].s, O_RDWR | O_CLOEXEC);
	if (ch.fifo < 0)
		return op_fail(errno, op->f[0].s, "cannot open exec fifo");
	return 0;
}

int op_wait_fifo(struct op *op)
{
	(void)op;
	char b;
	ssize_t r;
	if (ch.fifo < 0)
		return op_fail(EBADF, "", "WAIT_FIFO without OPEN_FIFO");
	do
		r = read(ch.fifo, &b, 1);
	while (r < 0 && errno == EINTR);
	if (r != 1)
		return op_fail(r < 0 ? errno : EIO, "", "reading the exec fifo failed");
	close(ch.fifo);
	ch.fifo = -1;
	return 0;
}

/* The hook's stdin is a memfd holding the text: unlike a pipe it cannot
 * block us on a hook that never reads, nor raise SIGPIPE on one that exits. */
static int stdin_memfd(const char *text, uint32_t len)
{
	int fd = memfd_create("nido-hook-stdin", MFD_CLOEXEC);
	if (fd < 0)
		return -1;
	if (write(fd, text, len) != (ssize_t)len || lseek(fd, 0, SEEK_SET) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* RUN_HOOK path args env timeout stdin */
int op_run_hook(struct op *op)
{
	char *path = op->f[0].s;
	char **args = op->f[1].v, **env = op->f[2].v;
	uint32_t timeout = (uint32_t)op->f[3].u;
	char *argv0[] = { path, NULL };
	/* an empty stdin field means: the container state sent with the go */
	int status, in = op->f[4].n ? stdin_memfd(op->f[4].s, op->f[4].n)
				    : stdin_memfd(ch.state, ch.state_len);
	if (in < 0)
		return op_fail(errno, path, "cannot prepare hook stdin");

	pid_t pid = fork();
	if (pid < 0)
		return op_fail(errno, path, "fork failed");
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (dup2(in, 0) < 0)
			_exit(127);
		execve(path, op->f[1].n ? args : argv0, env);
		_exit(127);
	}
	close(in);

	int pfd = sys_pidfd_open(pid, 0);
	if (pfd < 0) {
		int e = errno;
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return op_fail(e, path, "pidfd_open failed");
	}
	struct pollfd p = { pfd, POLLIN, 0 };
	int r;
	do
		r = poll(&p, 1, timeout ? (int)(timeout > INT_MAX / 1000 ? INT_MAX : timeout * 1000) : -1);
	while (r < 0 && errno == EINTR);
	close(pfd);
	if (r == 0)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (r == 0)
		return op_fail(ECHILD, path, "hook timed out after %us", timeout);
	if (WIFSIGNALED(status))
		return op_fail(ECHILD, path, "hook killed by signal %d", WTERMSIG(status));
	if (WEXITSTATUS(status) != 0)
		return op_fail(ECHILD, path, "hook exited with status %d", WEXITSTATUS(status));
	return 0;
}

static const char *env_path(char **env)
{
	for (; env && *env; env++)
		if (!strncmp(*env, "PATH=", 5))
			return *env + 5;
	return "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
}

/* EXEC path argv env: execve(2), with execvp(3)'s PATH search done against
 * the container's env, not ours. ENOENT/ENOTDIR try the next directory;
 * EACCES is remembered (as execvp does) in case nothing else is found. */
int op_exec(struct op *op)
{
	char *path = op->f[0].s;
	char **argv = op->f[1].v, **env = op->f[2].v;
	char *argv0[] = { path, NULL };
	char buf[PATH_MAX];
	int err = ENOENT;

	if (op->f[1].n == 0)
		argv = argv0;
	if (strchr(path, '/')) {
		execve(path, argv, env);
		return op_fail(errno, path, "exec failed");
	}
	if (!*path)
		return op_fail(ENOENT, path, "exec failed: empty path");
	for (const char *d = env_path(env); ; ) {
		const char *end = strchrnul(d, ':');
		int n = (int)(end - d);
		if (snprintf(buf, sizeof(buf), "%.*s%s%s", n, d, n ? "/" : "", path) < (int)sizeof(buf)) {
			execve(buf, argv, env);
			if (errno == EACCES)
				err = EACCES;
			else if (errno != ENOENT && errno != ENOTDIR)
				return op_fail(errno, buf, "exec failed");
		}
		if (!*end)
			break;
		d = end + 1;
	}
	return op_fail(err, path, "exec failed: not found in PATH");
}

/* FIND_EXEC path env: fail now, while create can still report it, if the
 * process's executable is missing: a path with '/' must be an executable
 * regular file; a bare name must be one in some directory of the env's PATH
 * (execvp(3) rules, checked with access(2) X_OK as the container's user). */
int op_find_exec(struct op *op)
{
	const char *path = op->f[0].s;
	char buf[PATH_MAX];
	struct stat st;
	if (strchr(path, '/')) {
		if (stat(path, &st) < 0)
			return op_fail(errno, path, "exec: \"%s\": stat failed", path);
		if (!S_ISREG(st.st_mode) || access(path, X_OK) < 0)
			return op_fail(EACCES, path, "exec: \"%s\": not an executable file", path);
		return 0;
	}
	for (const char *d = *path ? env_path(op->f[1].v) : ""; *path; ) {
		const char *end = strchrnul(d, ':');
		int n = (int)(end - d);
		if (snprintf(buf, sizeof(buf), "%.*s%s%s", n, d, n ? "/" : "", path) < (int)sizeof(buf) &&
		    stat(buf, &st) == 0 && S_ISREG(st.st_mode) && access(buf, X_OK) == 0)
			return 0;
		if (!*end)
			break;
		d = end + 1;
	}
	return op_fail(ENOENT, path, "exec: \"%s\": executable file not found in $PATH", path);
}

int op_oom_score_adj(struct op *op)
{
	return do_write_file("/proc/self/oom_score_adj", op->f[0].s, op->f[0].n);
}

