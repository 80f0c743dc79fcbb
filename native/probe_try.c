/* probe_try.c - nido-probe try OP...: each dangerous operation a container must not be able to do. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/bpf.h>
#include <linux/keyctl.h>
#include <linux/perf_event.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "probe.h"

/* ---- try OP...: dangerous operations ----
 * Each try_ function attempts one operation and returns 0 or its errno (a
 * negative value -SIG when a forked child died of SIG), undoing whatever it
 * managed to do, so an operation that is unexpectedly allowed stays harmless.
 * The comment of each says what a confined container gets ("denied") and
 * what a privileged one gets ("allowed"). */

static int in_child(int (*fn)(void))
{
	pid_t pid = fork();
	int st;
	if (pid < 0)
		return errno;
	if (pid == 0)
		_exit(fn());
	if (waitpid(pid, &st, 0) < 0)
		return errno;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -WTERMSIG(st);
}

static int rc(long r) { return r < 0 ? errno : 0; }

/* denied EPERM; allowed 0 (a tmpfs on /tmp, unmounted at once) */
static int try_mount(const char *arg)
{
	(void)arg;
	if (mount("none", "/tmp", "tmpfs", 0, "") < 0)
		return errno;
	umount2("/tmp", MNT_DETACH);
	return 0;
}

/* /bin is no mount point: denied EPERM (the capability check comes first),
 * allowed EINVAL (umount(2): "target is not a mount point") */
static int try_umount(const char *arg) { (void)arg; return rc(umount2("/bin", 0)); }

static int unshare_user(void) { return rc(unshare(CLONE_NEWUSER)); }
static int unshare_mount(void) { return rc(unshare(CLONE_NEWNS)); }
static int setns_uts(void)
{
	int fd = open("/proc/self/ns/uts", O_RDONLY | O_CLOEXEC);
	return fd < 0 ? errno : rc(setns(fd, CLONE_NEWUTS));
}
/* in a child, so the probe stays where it is: denied EPERM; allowed 0 */
static int try_unshare_user(const char *arg) { (void)arg; return in_child(unshare_user); }
static int try_unshare_mount(const char *arg) { (void)arg; return in_child(unshare_mount); }
static int try_setns(const char *arg) { (void)arg; return in_child(setns_uts); }

/* denied EPERM; allowed 0 (looks the session keyring up, creates nothing) */
static int try_keyctl(const char *arg)
{
	(void)arg;
	return rc(syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0));
}

/* zero segments and an undefined flag (0x100): denied EPERM (checked first);
 * allowed EINVAL, so a loaded kexec image is never unloaded */
static int try_kexec_load(const char *arg)
{
	(void)arg;
	return rc(syscall(SYS_kexec_load, 0UL, 0UL, NULL, 0x100UL));
}

/* denied EPERM; allowed a decoding error (EFAULT, ENOEXEC...) for an empty image */
static int try_init_module(const char *arg) { (void)arg; return rc(syscall(SYS_init_module, NULL, 0UL, "")); }

/* wrong magic: denied EPERM (checked first); allowed EINVAL, never a reboot */
static int try_reboot(const char *arg) { (void)arg; return rc(syscall(SYS_reboot, 0, 0, 0, NULL)); }

/* ptrace:PID: denied EPERM, invisible ESRCH; allowed 0 (attached, then detached) */
static int try_ptrace(const char *arg)
{
	pid_t pid = arg ? atoi(arg) : 0;
	if (ptrace(PTRACE_ATTACH, pid, NULL, NULL) < 0)
		return errno;
	waitpid(pid, NULL, __WALL);
	ptrace(PTRACE_DETACH, pid, NULL, NULL);
	return 0;
}

/* a zeroed 8-byte handle on "/": denied EPERM; allowed 0 or ESTALE */
static int try_open_by_handle_at(const char *arg)
{
	_Alignas(struct file_handle) char b[sizeof(struct file_handle) + 8] = { 0 };
	struct file_handle *fh = (struct file_handle *)b;
	(void)arg;
	fh->handle_bytes = 8;
	int dir = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0)
		return errno;
	int fd = open_by_handle_at(dir, fh, O_RDONLY | O_CLOEXEC);
	int e = fd < 0 ? errno : 0;
	if (fd >= 0)
		close(fd);
	close(dir);
	return e;
}

/* a zeroed struct clone_args (88 bytes) is a plain fork: the docker-style
 * profile answers ENOSYS (so libc falls back to clone); allowed 0 */
static int try_clone3(const char *arg)
{
	uint64_t args[11] = { 0 };
	(void)arg;
	long pid = syscall(SYS_clone3, args, sizeof(args));
	if (pid == 0)
		_exit(0);
	if (pid < 0)
		return errno;
	waitpid((pid_t)pid, NULL, __WALL); /* exit signal 0: only __WALL waits */
	return 0;
}

/* denied EPERM; allowed 0 (chroot to the current root) */
static int try_chroot(const char *arg) { (void)arg; return rc(chroot("/")); }

/* denied EPERM; allowed 0 (sets the hostname it already has) */
static int try_sethostname(const char *arg)
{
	char b[256] = "";
	(void)arg;
	gethostname(b, sizeof(b) - 1);
	return rc(sethostname(b, strlen(b)));
}

static int close_fd(long fd)
{
	if (fd < 0)
		return errno;
	close((int)fd);
	return 0;
}

/* an empty program: denied EPERM; allowed E2BIG (no instructions) or EINVAL */
static int try_bpf(const char *arg)
{
	union bpf_attr a;
	(void)arg;
	memset(&a, 0, sizeof(a));
	return close_fd(syscall(SYS_bpf, BPF_PROG_LOAD, &a, sizeof(a)));
}

/* a disabled task clock on itself: denied EPERM (seccomp) or EACCES
 * (perf_event_paranoid); allowed 0 */
static int try_perf_event_open(const char *arg)
{
	struct perf_event_attr a;
	(void)arg;
	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.type = PERF_TYPE_SOFTWARE;
	a.config = PERF_COUNT_SW_TASK_CLOCK;
	a.disabled = 1;
	a.exclude_kernel = 1;
	a.exclude_hv = 1;
	return close_fd(syscall(SYS_perf_event_open, &a, 0, -1, -1, PERF_FLAG_FD_CLOEXEC));
}

/* AF_VSOCK is 40: denied EPERM; allowed 0 or EAFNOSUPPORT (no vsock module) */
static int try_socket_vsock(const char *arg) { (void)arg; return close_fd(socket(40, SOCK_STREAM | SOCK_CLOEXEC, 0)); }

/* personality 1 (PER_SVR4): denied EPERM; allowed 0, the old persona restored */
static int try_personality1(const char *arg)
{
	(void)arg;
	int old = personality(0xffffffff);
	if (personality(1) < 0)
		return errno;
	personality(old < 0 ? 0 : (unsigned long)old);
	return 0;
}

/* opened for writing and closed, nothing written: denied EROFS or EACCES; allowed 0 */
static int open_wronly(const char *path) { return close_fd(open(path, O_WRONLY | O_CLOEXEC)); }
static int try_write_sysrq(const char *arg) { (void)arg; return open_wronly("/proc/sysrq-trigger"); }
static int try_write_procsys(const char *arg) { (void)arg; return open_wronly("/proc/sys/kernel/hostname"); }

static const struct { const char *name; int (*fn)(const char *arg); } tries[] = {
	{ "mount", try_mount }, { "umount", try_umount }, { "unshare-user", try_unshare_user },
	{ "unshare-mount", try_unshare_mount }, { "setns", try_setns }, { "keyctl", try_keyctl },
	{ "kexec_load", try_kexec_load }, { "init_module", try_init_module }, { "reboot", try_reboot },
	{ "ptrace", try_ptrace }, { "open_by_handle_at", try_open_by_handle_at }, { "clone3", try_clone3 },
	{ "chroot", try_chroot }, { "sethostname", try_sethostname }, { "bpf", try_bpf },
	{ "perf_event_open", try_perf_event_open }, { "socket-vsock", try_socket_vsock },
	{ "personality1", try_personality1 }, { "write-sysrq", try_write_sysrq },
	{ "write-procsys", try_write_procsys },
};

/* read-kcore=BYTES read by one 4096-byte read (0: masked by /dev/null), or ENAME */
static void report_kcore(void)
{
	char b[4096];
	int fd = open("/proc/kcore", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, b, sizeof(b));
	if (n < 0)
		printf("read-kcore=%s\n", errname(errno));
	else
		printf("read-kcore=%zd\n", n);
	if (fd >= 0)
		close(fd);
}

static void print_link(const char *key, const char *path)
{
	char b[4096];
	ssize_t n = readlink(path, b, sizeof(b) - 1);
	if (n < 0) {
		printf("%s=%s\n", key, errname(errno));
		return;
	}
	b[n] = '\0';
	printf("%s=%s\n", key, b);
}

static void report_cwd(void) { print_link("cwd", "/proc/self/cwd"); }
static void report_root1(void) { print_link("root1", "/proc/1/root"); }

static int cmp_int(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }

/* pids=1,7,8: every numeric entry of /proc, sorted */
static void report_pids(void)
{
	int pids[4096], n = 0;
	DIR *d = opendir("/proc");
	struct dirent *e;
	while (d && (e = readdir(d)) && n < 4096)
		if (e->d_name[0] >= '1' && e->d_name[0] <= '9')
			pids[n++] = atoi(e->d_name);
	if (d)
		closedir(d);
	qsort(pids, (size_t)n, sizeof(int), cmp_int);
	printf("pids=");
	for (int i = 0; i < n; i++)
		printf(i ? ",%d" : "%d", pids[i]);
	printf("\n");
}

static const struct { const char *name; void (*fn)(void); } reports[] = {
	{ "read-kcore", report_kcore }, { "fds", fact_fds }, { "cwd", report_cwd },
	{ "root1", report_root1 }, { "pids", report_pids },
};

/* One line per op: OP=0, OP=ENAME, OP=SIGNAME (a child killed), OP=unknown;
 * an op may carry an argument after ':' (ptrace:PID), the key is the whole word. */
int do_try(int n, char **ops)
{
	for (int i = 0; i < n; i++) {
		const char *colon = strchr(ops[i], ':');
		size_t len = colon ? (size_t)(colon - ops[i]) : strlen(ops[i]);
		int done = 0;
		for (size_t t = 0; t < sizeof(tries) / sizeof(tries[0]) && !done; t++)
			if (strlen(tries[t].name) == len && !strncmp(ops[i], tries[t].name, len)) {
				int r = tries[t].fn(colon ? colon + 1 : NULL);
				if (r < 0)
					printf("%s=SIG%s\n", ops[i], sigabbrev_np(-r));
				else
					printf("%s=%s\n", ops[i], r ? errname(r) : "0");
				done = 1;
			}
		for (size_t t = 0; t < sizeof(reports) / sizeof(reports[0]) && !done; t++)
			if (!strcmp(ops[i], reports[t].name)) {
				reports[t].fn();
				done = 1;
			}
		if (!done)
			printf("%s=unknown\n", ops[i]);
	}
	return 0;
}

