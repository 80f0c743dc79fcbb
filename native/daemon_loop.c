/* daemon_loop.c - the daemon monitor after CLONE and the go byte: one
 * poll(2) loop, no threads, over the child's event socket, the signalfd, the
 * container's output (stdout/stderr pipes or the pty master), the attach
 * socket and its clients.
 *
 * Until READY it is the monitor-mode loop: events go to Java on fd 4, an
 * ERROR ends the helper with status 1. At READY fds 3 and 4 are closed: Java
 * sees EOF and returns, and the helper carries on alone until the container
 * is gone and its output is drained. */
#include "daemon.h"
#include "report.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PLAN_FD  3
#define EVENT_FD 4

/* After the reap, output still open but silent this long ends the wait:
 * without a pid namespace, a leaked background process may hold the pipes
 * forever. */
#define QUIET_MS 200

struct loop {
	struct monitor *m;
	int sfd;
	int handed_over;  /* fds 3 and 4 closed */
	int failed;       /* ERROR before READY */
	long long quiet;  /* reap time, or the last output after it (ms) */
};

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static uint32_t le32(const void *p)
{
	const uint8_t *b = p;
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static void reap(struct loop *l, int flags)
{
	while (!dm.exited) {
		pid_t r = waitpid(dm.child, &dm.status, flags);
		if (r == dm.child) {
			dm.exited = 1;
			l->quiet = now_ms();
		} else if (r < 0 && errno == EINTR) {
			continue;
		}
		return;
	}
}

static void hand_over(struct loop *l)
{
	if (!(dm.flags & DAEMON_REPORT_EXIT))
		close(EVENT_FD);
	close(PLAN_FD);
	l->handed_over = 1;
}

/* An ERROR after the hand-over (a failed exec): nobody listens on fd 4 any
 * more, so it goes to the log, and to whoever is attached. */
static void start_failure(const uint8_t *b, size_t n)
{
	const uint8_t *p = b + 8, *end = b + n;
	int err = 0;
	uint32_t mlen = 0;
	const char *msg = "";
	/* payload: index:u32 opcode:u16 reserved:u16 errno:i32 path:str message:str */
	if (n >= 8 + 16) {
		err = (int32_t)le32(p + 8);
		uint32_t plen = le32(p + 12);
		const uint8_t *q = p + 16;
		if (plen <= (size_t)(end - q) && (size_t)(end - q) - plen >= 4) {
			q += plen;
			mlen = le32(q);
			if (mlen <= (size_t)(end - q) - 4)
				msg = (const char *)q + 4;
			else
				mlen = 0;
		}
	}
	char line[512];
	snprintf(line, sizeof(line), "nido-shim: container start failed: %.*s (errno %d)\n",
		 (int)mlen, msg, err);
	log_message(ST_ERR, line);
	attach_broadcast(FR_STDERR, line, strlen(line));
}

static void child_event(struct loop *l)
{
	uint8_t buf[EVENT_MAX];
	ssize_t n;
	do
		n = recv(l->m->sock, buf, sizeof(buf), 0);
	while (n < 0 && errno == EINTR);
	if (n <= 0) {
		/* EOF: the child exec'd or died. Without a READY in the plan this
		 * is the hand-over: Java must not wait for the container's end. */
		close(l->m->sock);
		l->m->sock = -1;
		if (!l->handed_over)
			hand_over(l);
		return;
	}
	uint32_t type = n >= 8 ? le32(buf) : 0;
	if (l->handed_over) {
		if (type == EV_ERROR)
			start_failure(buf, (size_t)n);
		return;
	}
	write_full(EVENT_FD, buf, (size_t)n); /* Java gone: EPIPE, go on */
	if (type == EV_ERROR)
		l->failed = 1;
	else if (type == EV_READY)
		hand_over(l);
}

static void signal_event(struct loop *l)
{
	struct signalfd_siginfo si;
	if (read(l->sfd, &si, sizeof(si)) != (ssize_t)sizeof(si))
		return;
	if (si.ssi_signo == SIGCHLD)
		reap(l, WNOHANG);
	else if (si.ssi_signo != SIGWINCH && !dm.exited) /* no terminal of ours */
		kill(dm.child, (int)si.ssi_signo);
}

/* CONSOLE_RELAY: the child's CONSOLE op sends the pty master. */
static void relay_event(struct loop *l)
{
	int fd = monitor_recv_fd(l->m->relay);
	close(l->m->relay);
	l->m->relay = -1;
	if (fd < 0)
		return;
	fcntl(fd, F_SETFL, O_NONBLOCK);
	dm.master = fd;
}

/* One read of container output: to the log and to every client. */
static void output_event(struct loop *l, int *fd, int stream)
{
	char buf[16384];
	ssize_t r = read(*fd, buf, sizeof(buf));
	if (r < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (r <= 0) { /* EOF; a pty master reads EIO once every peer is closed */
		close(*fd);
		*fd = -1;
		log_flush(stream);
		return;
	}
	if (dm.exited)
		l->quiet = now_ms();
	log_feed(stream, buf, (size_t)r);
	attach_broadcast(stream == ST_ERR ? FR_STDERR : FR_STDOUT, buf, (size_t)r);
}

static int *stream_fd(int stream)
{
	return stream == ST_OUT ? &dm.out : stream == ST_ERR ? &dm.err : &dm.master;
}

static int output_open(struct loop *l)
{
	return dm.out >= 0 || dm.err >= 0 || dm.master >= 0 || l->m->relay >= 0 ||
	       l->m->sock >= 0;
}

/* ERROR before READY: Java has it and cleans up; no exit record, no exit
 * command. What the child wrote until then stays in the log. */
static int failed(struct loop *l)
{
	reap(l, 0); /* the child _exits right after sending ERROR */
	for (int st = 0; st < ST_COUNT; st++) {
		int *fd = stream_fd(st);
		while (*fd >= 0) {
			char buf[16384];
			ssize_t r = read(*fd, buf, sizeof(buf));
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0)
				break;
			log_feed(st, buf, (size_t)r);
		}
		log_flush(st);
	}
	attach_close_all(-1);
	daemon_abandon();
	return 1;
}

enum kind { K_RELAY, K_SOCK, K_SIG, K_OUTPUT, K_CLIENT, K_LISTEN };

struct slot {
	enum kind kind;
	int stream;
	struct client *c;
};

/* Order matters: the relay before the child's socket, so that the pty
 * master (sent before READY) is ours when READY is handled; clients after
 * the output (a broadcast may drop one) and accept last (a new client must
 * not take a polled slot). */
static int build(struct loop *l, struct pollfd *p, struct slot *s)
{
	int n = 0;
#define ADD(fd_, kind_, stream_, c_) \
	(p[n] = (struct pollfd){ (fd_), POLLIN, 0 }, s[n++] = (struct slot){ (kind_), (stream_), (c_) })
	if (l->m->relay >= 0)
		ADD(l->m->relay, K_RELAY, 0, NULL);
	if (l->m->sock >= 0)
		ADD(l->m->sock, K_SOCK, 0, NULL);
	if (l->sfd >= 0)
		ADD(l->sfd, K_SIG, 0, NULL);
	for (int st = 0; st < ST_COUNT; st++)
		if (*stream_fd(st) >= 0)
			ADD(*stream_fd(st), K_OUTPUT, st, NULL);
	for (int i = 0; i < DAEMON_CLIENTS_MAX; i++)
		if (dm.clients[i].fd >= 0)
			ADD(dm.clients[i].fd, K_CLIENT, 0, &dm.clients[i]);
	if (dm.listen >= 0)
		ADD(dm.listen, K_LISTEN, 0, NULL);
#undef ADD
	return n;
}

static void dispatch(struct loop *l, struct pollfd *p, struct slot *s, int n)
{
	for (int i = 0; i < n && !l->failed; i++) {
		if (!p[i].revents)
			continue;
		switch (s[i].kind) {
		case K_RELAY: relay_event(l); break;
		case K_SOCK: child_event(l); break;
		case K_SIG: signal_event(l); break;
		case K_OUTPUT:
			if (*stream_fd(s[i].stream) == p[i].fd)
				output_event(l, stream_fd(s[i].stream), s[i].stream);
			break;
		case K_CLIENT:
			if (s[i].c->fd == p[i].fd) /* not dropped meanwhile */
				attach_read(s[i].c);
			break;
		case K_LISTEN: attach_accept(); break;
		}
	}
}

int daemon_run(struct monitor *m, int sfd)
{
	struct loop l = { .m = m, .sfd = sfd };
	struct pollfd p[6 + DAEMON_CLIENTS_MAX];
	struct slot s[6 + DAEMON_CLIENTS_MAX];

	dm.child = m->child;
	for (;;) {
		long long left = dm.exited ? l.quiet + QUIET_MS - now_ms() : -1;
		if (dm.exited && (!output_open(&l) || left <= 0))
			break;
		int n = build(&l, p, s);
		/* no signalfd: look for the child's end every 100 ms instead */
		int timeout = dm.exited ? (int)left : sfd < 0 ? 100 : -1;
		if (poll(p, (nfds_t)n, timeout) < 0) {
			if (errno == EINTR)
				continue;
			reap(&l, 0);
			break;
		}
		dispatch(&l, p, s, n);
		if (l.failed)
			return failed(&l);
		if (sfd < 0)
			reap(&l, WNOHANG);
	}
	for (int st = 0; st < ST_COUNT; st++)
		log_flush(st);
	if (!l.handed_over)
		hand_over(&l);
	return daemon_finish();
}
