/* probe.c - nido-probe: run inside a container by the integration tests.
 * Prints one `key=value` line per fact asked for on the command line
 * (`nido-probe all` prints every fact), or performs one action:
 *   exit N | sleep S | write PATH CONTENT | read PATH | signal-wait | alloc MB [hold]
 *   try OP...           attempt each dangerous operation, one `OP=0` or `OP=ENAME` line each
 *   exe-watch S [FILE]  for S seconds try to open every other process's /proc/PID/exe for writing */
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

extern char **environ;

/* Reads a small file into buf (NUL-terminated); returns length or -1. */
static ssize_t slurp(const char *path, char *buf, size_t n)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	size_t len = 0;
	ssize_t r;
	while (len < n - 1 && (r = read(fd, buf + len, n - 1 - len)) > 0)
		len += (size_t)r;
	close(fd);
	buf[len] = '\0';
	return (ssize_t)len;
}

static const char *errname(int e)
{
	const char *s = strerrorname_np(e);
	return s ? s : "EUNKNOWN";
}

static void fact_ns(void)
{
	static const char *types[] = { "mnt", "uts", "ipc", "pid", "net", "user", "cgroup", "time" };
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		char path[64], link[128];
		snprintf(path, sizeof(path), "/proc/self/ns/%s", types[i]);
		ssize_t n = readlink(path, link, sizeof(link) - 1);
		if (n < 0) {
			printf("ns.%s=%s\n", types[i], errname(errno));
			continue;
		}
		link[n] = '\0';
		char *num = strchr(link, '[');
		printf("ns.%s=%.*s\n", types[i], num ? (int)strcspn(num + 1, "]") : (int)n,
		       num ? num + 1 : link);
	}
}

static void fact_hostname(void)
{
	char b[256] = "";
	gethostname(b, sizeof(b) - 1);
	printf("hostname=%s\n", b);
}

static void fact_domainname(void)
{
	char b[256] = "";
	getdomainname(b, sizeof(b) - 1);
	printf("domainname=%s\n", b);
}

static void fact_pid(void) { printf("pid=%d\n", getpid()); }
static void fact_ppid(void) { printf("ppid=%d\n", getppid()); }
static void fact_uid(void) { printf("uid=%u\n", getuid()); }
static void fact_gid(void) { printf("gid=%u\n", getgid()); }
static void fact_euid(void) { printf("euid=%u\n", geteuid()); }

static void fact_groups(void)
{
	gid_t g[256];
	int n = getgroups(256, g);
	printf("groups=");
	for (int i = 0; i < n; i++)
		printf(i ? ",%u" : "%u", g[i]);
	printf("\n");
}

/* first line of an id map, runs of blanks collapsed to one space */
static void print_map(const char *key, const char *path)
{
	char b[4096], out[4096];
	size_t o = 0;
	if (slurp(path, b, sizeof(b)) < 0) {
		printf("%s=%s\n", key, errname(errno));
		return;
	}
	b[strcspn(b, "\n")] = '\0';
	for (char *t = strtok(b, " \t"); t; t = strtok(NULL, " \t"))
		o += (size_t)snprintf(out + o, sizeof(out) - o, o ? " %s" : "%s", t);
	out[o] = '\0';
	printf("%s=%s\n", key, out);
}

static void fact_uid_map(void) { print_map("uid_map", "/proc/self/uid_map"); }
static void fact_gid_map(void) { print_map("gid_map", "/proc/self/gid_map"); }

static void fact_cwd(void)
{
	char b[4096];
	printf("cwd=%s\n", getcwd(b, sizeof(b)) ? b : errname(errno));
}

static void fact_umask(void)
{
	mode_t m = umask(0);
	umask(m);
	printf("umask=%04o\n", m);
}

static void fact_env(void)
{
	for (char **e = environ; *e; e++)
		printf("env.%s\n", *e);
}

static void fact_rlimit(void)
{
	static const struct { const char *name; int res; } r[] = {
		{ "nofile", RLIMIT_NOFILE }, { "nproc", RLIMIT_NPROC },
		{ "core", RLIMIT_CORE }, { "cpu", RLIMIT_CPU }, { "as", RLIMIT_AS },
	};
	for (size_t i = 0; i < sizeof(r) / sizeof(r[0]); i++) {
		struct rlimit rl;
		getrlimit(r[i].res, &rl);
		printf("rlimit.%s=", r[i].name);
		if (rl.rlim_cur == RLIM_INFINITY) printf("unlimited:"); else printf("%llu:", (unsigned long long)rl.rlim_cur);
		if (rl.rlim_max == RLIM_INFINITY) printf("unlimited\n"); else printf("%llu\n", (unsigned long long)rl.rlim_max);
	}
}

static void fact_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int first = 1;
	printf("fds=");
	if (d) {
		struct dirent *e;
		while ((e = readdir(d))) {
			if (e->d_name[0] == '.' || atoi(e->d_name) == dirfd(d))
				continue;
			printf(first ? "%s" : ",%s", e->d_name);
			first = 0;
		}
		closedir(d);
	}
	printf("\n");
}

/* mountinfo(5): id parent maj:min root mountpoint options [optional...] - fstype source superoptions */
static void fact_mount(void)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[4096];
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *field[6] = { 0 }, *save, *t = strtok_r(line, " \n", &save);
		int i = 0;
		for (; t && i < 6; t = strtok_r(NULL, " \n", &save))
			field[i++] = t;
		while (t && strcmp(t, "-"))
			t = strtok_r(NULL, " \n", &save);
		char *fstype = t ? strtok_r(NULL, " \n", &save) : NULL;
		if (field[4] && field[5] && fstype)
			printf("mount.%s=%s:%s\n", field[4], fstype, field[5]);
	}
	fclose(f);
}

static void fact_root_writable(void)
{
	int fd = open("/.nido-probe", O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
	if (fd >= 0) {
		close(fd);
		unlink("/.nido-probe");
	}
	printf("root.writable=%s\n", fd >= 0 ? "yes" : "no");
}

/* Prints the value of a "Key:\tvalue" line of /proc/self/status as key=. */
static void status_field(const char *field, const char *key)
{
	char b[8192];
	size_t n = strlen(field);
	if (slurp("/proc/self/status", b, sizeof(b)) < 0)
		return;
	for (char *l = strtok(b, "\n"); l; l = strtok(NULL, "\n"))
		if (!strncmp(l, field, n) && l[n] == ':') {
			printf("%s=%s\n", key, l + n + 1 + strspn(l + n + 1, " \t"));
			return;
		}
	printf("%s=\n", key);
}

static void fact_caps(void)
{
	status_field("CapEff", "caps.eff");
	status_field("CapPrm", "caps.prm");
	status_field("CapBnd", "caps.bnd");
	status_field("CapInh", "caps.inh");
	status_field("CapAmb", "caps.amb");
}

static void fact_seccomp(void) { status_field("Seccomp", "seccomp"); }
static void fact_nonewprivs(void) { status_field("NoNewPrivs", "nonewprivs"); }

static void fact_tty(void)
{
	char *n = ttyname(0);
	printf("tty=%s\n", isatty(0) ? "yes" : "no");
	printf("ttyname=%s\n", n ? n : "");
}

static void fact_cgroup(void)
{
	char b[8192];
	if (slurp("/proc/self/cgroup", b, sizeof(b)) < 0)
		b[0] = '\0';
	size_t n = strlen(b);
	while (n && b[n - 1] == '\n')
		b[--n] = '\0';
	for (char *p = b; *p; p++)
		if (*p == '\n')
			*p = ';';
	printf("cgroup=%s\n", b);
}

static const struct { const char *name; void (*fn)(void); } facts[] = {
	{ "ns", fact_ns }, { "hostname", fact_hostname }, { "domainname", fact_domainname },
	{ "pid", fact_pid }, { "ppid", fact_ppid }, { "uid", fact_uid }, { "gid", fact_gid },
	{ "euid", fact_euid }, { "groups", fact_groups }, { "uid_map", fact_uid_map },
	{ "gid_map", fact_gid_map }, { "cwd", fact_cwd }, { "umask", fact_umask },
	{ "env", fact_env }, { "rlimit", fact_rlimit }, { "fds", fact_fds },
	{ "mount", fact_mount }, { "root.writable", fact_root_writable },
	{ "caps", fact_caps }, { "seccomp", fact_seccomp }, { "nonewprivs", fact_nonewprivs },
	{ "tty", fact_tty }, { "cgroup", fact_cgroup },
};

/* ---- actions ---- */

static int do_write(const char *path, const char *content)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, content, strlen(content)) < 0) {
		printf("write=%s\n", errname(errno));
		return 1;
	}
	close(fd);
	printf("write=ok\n");
	return 0;
}

/* read=<first 200 bytes>, non-printables and backslash as \xNN */
static int do_read(const char *path)
{
	char b[201];
	ssize_t n = slurp(path, b, sizeof(b));
	if (n < 0) {
		printf("read=%s\n", errname(errno));
		return 1;
	}
	printf("read=");
	for (ssize_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)b[i];
		if (c < 0x20 || c >= 0x7f || c == '\\')
			printf("\\x%02x", c);
		else
			putchar(c);
	}
	printf("\n");
	return 0;
}

static int do_signal_wait(void)
{
	sigset_t set;
	int sig;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	printf("ready\n");
	fflush(stdout);
	if (sigwait(&set, &sig) != 0)
		return 1;
	printf("signal=SIG%s\n", sigabbrev_np(sig));
	return 0;
}

/* alloc MB [hold]: allocate and touch MB mebibytes, one page at a time (resident,
 * so a memory cgroup limit below it OOM-kills us), print alloc=ok, and with
 * "hold" keep the memory until a signal. */
static int do_alloc(long mb, int hold)
{
	long page = sysconf(_SC_PAGESIZE);
	for (long i = 0; i < mb; i++) {
		char *p = malloc(1 << 20);
		if (!p) {
			printf("alloc=ENOMEM at %ld MiB\n", i);
			return 1;
		}
		for (long off = 0; off < (1 << 20); off += page)
			p[off] = 1;
	}
	printf("alloc=ok\n");
	if (hold)
		pause();
	return 0;
}

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
static int do_try(int n, char **ops)
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

/* ---- exe-watch S [FILE]: the CVE-2019-5736 attacker ----
 * For S seconds (or until SIGTERM), every millisecond, looks at every other
 * process in /proc and tries to open its /proc/PID/exe for writing, as the
 * exploit does: directly ("open"), by re-opening an O_PATH fd through
 * /proc/self/fd/N ("reopen"), and again on every later scan through that
 * O_PATH fd, kept open after the process is gone ("held"). Output (to FILE if
 * given), a line whenever the result of a (pid, method) changes:
 *   exe-watch=PID METHOD RESULT TARGET      RESULT: 0 or ENAME; TARGET: the exe link
 *   exe-watch.write=PID METHOD RESULT       a marker write after a successful open,
 *                                           tried only on a memfd (a host file is never
 *                                           written to), printed when its result changes
 * and at the end exe-watch.scans=N attempts=N opened=N written=N (opened:
 * successful opens of anything, written: successful marker writes). */

#define WATCH_MAX 256

static struct watch {
	int pid, method, result, wresult, held;
	char target[128];
} watch[WATCH_MAX];
static int nwatch;
static long attempts, opened, written;
static volatile sig_atomic_t stop;

static void on_term(int sig) { (void)sig; stop = 1; }

/* the slot of (pid, method), created if new; NULL when the table is full */
static struct watch *watch_slot(int pid, int method)
{
	for (int i = 0; i < nwatch; i++)
		if (watch[i].pid == pid && watch[i].method == method)
			return &watch[i];
	if (nwatch == WATCH_MAX)
		return NULL;
	watch[nwatch] = (struct watch){ .pid = pid, .method = method, .result = -1, .wresult = -1, .held = -1 };
	return &watch[nwatch++];
}

static const char *const methods[] = { "open", "reopen", "held" };

/* Records one attempt: fd is the result of an open(O_WRONLY) (-1: errno). */
static void watch_result(struct watch *w, int pid, int method, int fd, const char *target)
{
	int r = fd < 0 ? errno : 0;
	attempts++;
	if (w && target)
		snprintf(w->target, sizeof(w->target), "%s", target);
	if (!w || w->result != r)
		printf("exe-watch=%d %s %s %s\n", pid, methods[method], r ? errname(r) : "0",
		       w ? w->target : target ? target : "");
	if (w)
		w->result = r;
	if (fd < 0)
		return;
	opened++;
	if (w && !strncmp(w->target, "/memfd:", 7)) {
		ssize_t n = write(fd, "nido-exe-watch", 14);
		int wr = n > 0 ? 0 : errno;
		written += n > 0;
		if (w->wresult != wr)
			printf("exe-watch.write=%d %s %s\n", pid, methods[method], wr ? errname(wr) : "0");
		w->wresult = wr;
	}
	close(fd);
}

static void watch_pid(int pid)
{
	char path[64], fdpath[64], target[128];
	snprintf(path, sizeof(path), "/proc/%d/exe", pid);
	ssize_t n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return; /* gone, or a kernel thread */
	target[n] = '\0';
	watch_result(watch_slot(pid, 0), pid, 0, open(path, O_WRONLY | O_CLOEXEC), target);
	struct watch *held = watch_slot(pid, 2);
	int p = open(path, O_PATH | O_CLOEXEC);
	if (p < 0)
		return;
	snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", p);
	watch_result(watch_slot(pid, 1), pid, 1, open(fdpath, O_WRONLY | O_CLOEXEC), target);
	if (held && held->held < 0) {
		held->held = p; /* kept: tried again on every scan, after the process is gone */
		snprintf(held->target, sizeof(held->target), "%s", target);
	} else {
		close(p);
	}
}

static void watch_held(void)
{
	char fdpath[64];
	for (int i = 0; i < nwatch; i++)
		if (watch[i].held >= 0) {
			snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", watch[i].held);
			watch_result(&watch[i], watch[i].pid, 2, open(fdpath, O_WRONLY | O_CLOEXEC), NULL);
		}
}

static int do_exe_watch(int seconds, const char *file)
{
	struct timespec now, end, tick = { 0, 1000000 };
	long scans = 0;
	if (file) {
		int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd < 0 || dup2(fd, 1) < 0) {
			printf("exe-watch=%s\n", errname(errno));
			return 1;
		}
		close(fd);
	}
	signal(SIGTERM, on_term);
	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += seconds;
	printf("exe-watch.ready=%d\n", getpid());
	do {
		DIR *d = opendir("/proc");
		struct dirent *e;
		while (d && (e = readdir(d)))
			if (e->d_name[0] >= '1' && e->d_name[0] <= '9' && atoi(e->d_name) != getpid())
				watch_pid(atoi(e->d_name));
		if (d)
			closedir(d);
		watch_held();
		scans++;
		nanosleep(&tick, NULL);
		clock_gettime(CLOCK_MONOTONIC, &now);
	} while (!stop && (now.tv_sec < end.tv_sec || (now.tv_sec == end.tv_sec && now.tv_nsec < end.tv_nsec)));
	printf("exe-watch.scans=%ld attempts=%ld opened=%ld written=%ld\n", scans, attempts, opened, written);
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 3 && !strcmp(argv[1], "exit"))
		return atoi(argv[2]);
	if (argc >= 3 && !strcmp(argv[1], "sleep"))
		return (int)sleep((unsigned)atoi(argv[2]));
	if (argc >= 4 && !strcmp(argv[1], "write"))
		return do_write(argv[2], argv[3]);
	if (argc >= 3 && !strcmp(argv[1], "read"))
		return do_read(argv[2]);
	if (argc >= 2 && !strcmp(argv[1], "signal-wait"))
		return do_signal_wait();
	if (argc >= 3 && !strcmp(argv[1], "alloc"))
		return do_alloc(atol(argv[2]), argc >= 4 && !strcmp(argv[3], "hold"));
	if (argc >= 2 && !strcmp(argv[1], "try"))
		return do_try(argc - 2, argv + 2);
	if (argc >= 3 && !strcmp(argv[1], "exe-watch"))
		return do_exe_watch(atoi(argv[2]), argc >= 4 ? argv[3] : NULL);

	int all = argc < 2 || !strcmp(argv[1], "all");
	for (size_t i = 0; i < sizeof(facts) / sizeof(facts[0]); i++) {
		int want = all;
		for (int a = 1; a < argc && !want; a++)
			want = !strcmp(argv[a], facts[i].name);
		if (want)
			facts[i].fn();
	}
	return 0;
}
