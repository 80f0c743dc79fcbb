/* daemon_log.c - the container log and the exit record of a daemon monitor.
 *
 * ctr.log holds Docker's json-file lines, one object per line with exactly
 * these keys in this order:
 *   {"log":"<line>","stream":"stdout","time":"2026-11-22T10:00:00.123456789Z"}
 * so tools that read Docker's logs read ours. Each stream keeps a line buffer:
 * a record is one line with its "\n"; a line that fills the buffer is cut
 * (a record without "\n"); what is left at EOF is written as is. */
#include "daemon.h"
#include "report.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define LINE_CAP 16384

/* Static, so an idle monitor touches none of it: the pages only become
 * resident once output arrives. */
static struct {
	char buf[LINE_CAP];
	size_t n;
} lines[ST_COUNT];

/* the worst case is \u00XX for every byte */
static char rec[LINE_CAP * 6 + 128];

static const char *stream_name(int stream)
{
	return stream == ST_ERR ? "stderr" : "stdout";
}

int log_open(void)
{
	struct stat st;
	dm.log = openat(dm.dir, "ctr.log", O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (dm.log < 0)
		return -1;
	dm.log_size = fstat(dm.log, &st) == 0 ? (uint64_t)st.st_size : 0;
	return 0;
}

/* RFC 3339 in UTC with nanoseconds, as Docker writes it. */
static void now_utc(char *out, size_t n)
{
	struct timespec ts;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	size_t k = strftime(out, n, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out + k, n - k, ".%09ldZ", ts.tv_nsec);
}

/* JSON string contents: '"', '\' and control bytes escaped; bytes >= 0x80
 * pass through (Docker keeps invalid UTF-8 as it came, too). */
static size_t escape(char *out, const char *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		char e = 0;
		switch (c) {
		case '"': e = '"'; break;
		case '\\': e = '\\'; break;
		case '\n': e = 'n'; break;
		case '\r': e = 'r'; break;
		case '\t': e = 't'; break;
		case '\b': e = 'b'; break;
		case '\f': e = 'f'; break;
		}
		if (e) {
			out[k++] = '\\';
			out[k++] = e;
		} else if (c < 0x20) {
			memcpy(out + k, "\\u00", 4);
			out[k + 4] = hex[c >> 4];
			out[k + 5] = hex[c & 15];
			k += 6;
		} else {
			out[k++] = (char)c;
		}
	}
	return k;
}

/* ctr.log -> ctr.log.1 -> ... -> ctr.log.(files-1); the oldest is
 * overwritten by the rename. With one file there is nowhere to keep the
 * old lines: start ctr.log over. */
static void rotate(void)
{
	char from[32], to[32];
	dm.log_size = 0;
	if (dm.log_files < 2) {
		if (dm.log >= 0 && ftruncate(dm.log, 0) < 0) {
			/* keep appending: a too long log beats lost lines */
		}
		return;
	}
	for (uint32_t k = dm.log_files - 1; k >= 2; k--) {
		snprintf(from, sizeof(from), "ctr.log.%u", k - 1);
		snprintf(to, sizeof(to), "ctr.log.%u", k);
		renameat(dm.dir, from, dm.dir, to); /* ENOENT: not that many yet */
	}
	renameat(dm.dir, "ctr.log", dm.dir, "ctr.log.1");
	if (dm.log >= 0)
		close(dm.log);
	if (log_open() < 0)
		dm.log = -1;
}

static void log_write(const char *r, size_t n)
{
	if (dm.log_max > 0 && dm.log_size > 0 && dm.log_size + n > dm.log_max)
		rotate();
	if (dm.log < 0 && log_open() < 0) /* a reopen failed: try again, else drop */
		return;
	if (write_full(dm.log, r, n) == 0)
		dm.log_size += n;
}

static void record(int stream, const char *p, size_t n)
{
	char ts[64];
	now_utc(ts, sizeof(ts));
	size_t k = 0;
	memcpy(rec, "{\"log\":\"", 8);
	k = 8 + escape(rec + 8, p, n);
	k += (size_t)snprintf(rec + k, sizeof(rec) - k, "\",\"stream\":\"%s\",\"time\":\"%s\"}\n",
			      stream_name(stream), ts);
	log_write(rec, k);
}

void log_feed(int stream, const char *p, size_t n)
{
	char *buf = lines[stream].buf;
	size_t *have = &lines[stream].n;
	while (n > 0) {
		size_t take = n < LINE_CAP - *have ? n : LINE_CAP - *have;
		const char *nl = memchr(p, '\n', take);
		if (nl)
			take = (size_t)(nl - p) + 1;
		memcpy(buf + *have, p, take);
		*have += take;
		p += take;
		n -= take;
		if (nl || *have == LINE_CAP) {
			record(stream, buf, *have);
			*have = 0;
		}
	}
}

void log_flush(int stream)
{
	if (lines[stream].n > 0)
		record(stream, lines[stream].buf, lines[stream].n);
	lines[stream].n = 0;
}

/* A line of the monitor's own (a start failure after READY), written as a
 * record of its own between the container's lines. */
void log_message(int stream, const char *text)
{
	size_t n = strlen(text);
	record(stream, text, n < LINE_CAP ? n : LINE_CAP);
}

/* exit.tmp, fsync, rename to exit, fsync the directory: a reader finds
 * either no exit record or a whole one, even after a crash. */
int write_exit_record(int status)
{
	char ts[64], line[256];
	int code = 0, sig = 0;
	if (WIFEXITED(status)) {
		code = WEXITSTATUS(status);
	} else if (WIFSIGNALED(status)) {
		sig = WTERMSIG(status);
		code = 128 + sig;
	}
	now_utc(ts, sizeof(ts));
	int n = snprintf(line, sizeof(line),
			 "{\"exitCode\":%d,\"signal\":%d,\"status\":%d,\"finishedAt\":\"%s\"}\n",
			 code, sig, status, ts);
	int fd = openat(dm.dir, "exit.tmp", O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	int bad = write_full(fd, line, (size_t)n) < 0 || fsync(fd) < 0;
	close(fd);
	if (bad || renameat(dm.dir, "exit.tmp", dm.dir, "exit") < 0)
		return -1;
	int d = openat(dm.dir, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC); /* O_PATH cannot fsync */
	if (d >= 0) {
		fsync(d);
		close(d);
	}
	return 0;
}
