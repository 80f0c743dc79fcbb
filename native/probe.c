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
#include "probe.h"

extern char **environ;

ssize_t slurp(const char *path, char *buf, size_t n)
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

const char *errname(int e)
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

void fact_fds(void)
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
