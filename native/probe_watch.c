/* probe_watch.c - nido-probe exe-watch: plays the CVE-2019-5736 attacker from inside a container. */
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

int do_exe_watch(int seconds, const char *file)
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

