/* monitor.c - the helper after CLONE: relays the control byte, forwards the
 * child's events to Java, and in monitor mode forwards signals, relays a
 * console and reports the exit status. One poll(2) loop, no threads. */
#include "monitor.h"
#include "daemon.h"
#include "plan.h"
#include "report.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#define PLAN_FD  3
#define EVENT_FD 4

void monitor_signals(sigset_t *set)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1,
				    SIGUSR2, SIGWINCH, SIGCHLD };
	sigemptyset(set);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaddset(set, sigs[i]);
}

struct state {
	struct monitor *m;
	int sfd;            /* signalfd */
	int master;         /* relayed pty master, or -1 */
	int in_open;        /* still reading our stdin for the relay */
	int raw;            /* our stdin was put in raw mode */
	struct termios saved;
	int exited;         /* the child has been reaped */
	int status;
};

static void reap(struct state *s)
{
	while (!s->exited) {
		if (waitpid(s->m->child, &s->status, 0) == s->m->child)
			s->exited = 1;
		else if (errno != EINTR)
			break;
	}
}

static void kill_and_reap(struct state *s)
{
	kill(s->m->child, SIGKILL);
	reap(s);
}



/* Step 2: Java's go byte, sent once the child is in its cgroups and has
 * its id maps. Anything but 'G' (abort, or EOF: Java is gone) ends it. */
static int control_byte(struct state *s)
{
	char b = 0;
	ssize_t r;
	do
		r = read(PLAN_FD, &b, 1);
	while (r < 0 && errno == EINTR);
	if (r != 1 || b != 'G') {
		kill_and_reap(s);
		return -1;
	}
	/* The go byte is followed by the container state (u32 length, JSON), which
	 * the child gives to createContainer/startContainer hooks on stdin. */
	static char msg[5 + GO_STATE_MAX];
	uint32_t len = 0;
	if (read_full(PLAN_FD, &len, sizeof(len)) < 0 || len > GO_STATE_MAX ||
	    read_full(PLAN_FD, msg + 5, len) < 0) {
		kill_and_reap(s);
		return -1;
	}
	/* to the child: 'G', its pid as we see it (u32), the state */
	msg[0] = 'G';
	uint32_t pid = (uint32_t)s->m->child;
	memcpy(msg + 1, &pid, sizeof(pid));
	/* a child that already failed has closed its end: its ERROR is read next */
	send(s->m->sock, msg, 5 + (size_t)len, MSG_NOSIGNAL);
	return 0;
}


/* ---- console relay ---- */

int monitor_recv_fd(int sock)
{
	char name[256], cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { name, sizeof(name) };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	int fd = -1;
	if (recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) <= 0)
		return -1;
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
		memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}

static void copy_winsize(struct state *s)
{
	struct winsize ws;
	if (s->master >= 0 && ioctl(0, TIOCGWINSZ, &ws) == 0)
		ioctl(s->master, TIOCSWINSZ, &ws);
}

/* The master arrived: put our terminal in raw mode so that keys (^C too)
 * reach the container's pty untouched (termios(3), cfmakeraw). */
static void relay_start(struct state *s)
{
	s->master = monitor_recv_fd(s->m->relay);
	close(s->m->relay);
	s->m->relay = -1;
	if (s->master < 0)
		return;
	s->in_open = 1;
	if (isatty(0) && tcgetattr(0, &s->saved) == 0) {
		struct termios raw = s->saved;
		cfmakeraw(&raw);
		if (tcsetattr(0, TCSANOW, &raw) == 0)
			s->raw = 1;
	}
	copy_winsize(s);
}

static void relay_stop(struct state *s)
{
	if (s->raw)
		tcsetattr(0, TCSANOW, &s->saved);
	s->raw = 0;
	if (s->master >= 0)
		close(s->master);
	s->master = -1;
}

/* Copies one read's worth from -> to; returns -1 on EOF or error. */
static int pump(int from, int to)
{
	char buf[16384];
	ssize_t r = read(from, buf, sizeof(buf));
	if (r < 0 && errno == EINTR)
		return 0;
	if (r <= 0) /* a pty master reads EIO once every peer is closed */
		return -1;
	write_full(to, buf, (size_t)r);
	return 0;
}

/* The child is gone: whatever it wrote last is still in the pty. */
static void relay_drain(struct state *s)
{
	struct pollfd p = { s->master, POLLIN, 0 };
	while (s->master >= 0 && poll(&p, 1, 0) == 1 && pump(s->master, 1) == 0)
		;
}

/* ---- events and signals ---- */

/* Forwards one child event; returns 1 when the helper should exit now. */
static int child_event(struct state *s, int *code)
{
	char buf[EVENT_MAX];
	ssize_t n;
	do
		n = recv(s->m->sock, buf, sizeof(buf), 0);
	while (n < 0 && errno == EINTR);
	if (n <= 0) {
		/* EOF: the child exec'd (the socket is close-on-exec) or died */
		close(s->m->sock);
		s->m->sock = -1;
		*code = 0;
		return s->m->mode == MODE_DETACH;
	}
	write_full(EVENT_FD, buf, (size_t)n);
	uint32_t type = n >= 4 ? (uint32_t)(uint8_t)buf[0] | (uint32_t)(uint8_t)buf[1] << 8 |
		(uint32_t)(uint8_t)buf[2] << 16 | (uint32_t)(uint8_t)buf[3] << 24 : 0;
	if (type == EV_ERROR) {
		reap(s); /* the child _exits right after sending ERROR */
		*code = 1;
		return 1;
	}
	if (type == EV_READY && s->m->mode == MODE_DETACH) {
		*code = 0;
		return 1;
	}
	return 0;
}

static void signal_event(struct state *s)
{
	struct signalfd_siginfo si;
	if (read(s->sfd, &si, sizeof(si)) != (ssize_t)sizeof(si))
		return;
	if (si.ssi_signo == SIGCHLD) {
		if (!s->exited && waitpid(s->m->child, &s->status, WNOHANG) == s->m->child)
			s->exited = 1;
	} else if (si.ssi_signo == SIGWINCH && s->master >= 0) {
		copy_winsize(s); /* the pty sends SIGWINCH to its foreground group */
	} else if (!s->exited) {
		kill(s->m->child, (int)si.ssi_signo);
	}
}

int monitor_run(struct monitor *m)
{
	struct state s = { .m = m, .master = -1 };
	int code = 0;

	report_pid(EVENT_FD, m->child);
	s.sfd = signalfd(-1, &m->signals, SFD_CLOEXEC);
	if (control_byte(&s) < 0)
		return 1;
	if (m->mode == MODE_DAEMON)
		return daemon_run(m, s.sfd); /* daemon_loop.c */

	/* Run until the child's socket is closed and, in monitor mode, the
	 * child is reaped. */
	while (m->sock >= 0 || (m->mode == MODE_MONITOR && !s.exited)) {
		struct pollfd p[5];
		int n = 0, i_sock = -1, i_sig = -1, i_relay = -1, i_master = -1, i_in = -1;
		if (m->sock >= 0)
			i_sock = n, p[n++] = (struct pollfd){ m->sock, POLLIN, 0 };
		if (s.sfd >= 0)
			i_sig = n, p[n++] = (struct pollfd){ s.sfd, POLLIN, 0 };
		if (m->relay >= 0)
			i_relay = n, p[n++] = (struct pollfd){ m->relay, POLLIN, 0 };
		if (s.master >= 0)
			i_master = n, p[n++] = (struct pollfd){ s.master, POLLIN, 0 };
		if (s.master >= 0 && s.in_open)
			i_in = n, p[n++] = (struct pollfd){ 0, POLLIN, 0 };
		if (poll(p, (nfds_t)n, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (i_sock >= 0 && p[i_sock].revents && child_event(&s, &code)) {
			relay_stop(&s);
			return code;
		}
		if (i_sig >= 0 && p[i_sig].revents)
			signal_event(&s);
		if (i_relay >= 0 && p[i_relay].revents)
			relay_start(&s);
		if (i_master >= 0 && p[i_master].revents && pump(s.master, 1) < 0)
			relay_stop(&s);
		if (i_in >= 0 && p[i_in].revents && s.master >= 0 && pump(0, s.master) < 0)
			s.in_open = 0;
		if (s.sfd < 0 && m->sock < 0)
			reap(&s); /* no signalfd: fall back to a blocking wait */
	}
	relay_drain(&s);
	relay_stop(&s);
	if (m->mode == MODE_MONITOR)
		report_exit(EVENT_FD, s.status);
	return code;
}
