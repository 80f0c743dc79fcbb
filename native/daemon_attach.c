/* daemon_attach.c - attach clients of a daemon monitor.
 *
 * Frames both ways: type:u8 length:u32 LE, then the payload. Out: stdout and
 * stderr data, and the exit status at the end. In: stdin data, close stdin,
 * resize, signal. A client never stalls the container: sends are
 * nonblocking, and a client that cannot take a whole frame is dropped, as is
 * one that sends a malformed frame. Incoming frames are parsed as the bytes
 * arrive (stdin data is passed on piecewise), so a client costs no buffer. */
#include "daemon.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define STDIN_WAIT_MS 1000

static long ms_left(const struct timespec *deadline);

static uint32_t le32(const uint8_t *b)
{
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static void drop(struct client *c)
{
	close(c->fd);
	c->fd = -1;
}

int attach_add(int fd)
{
	for (int i = 0; i < DAEMON_CLIENTS_MAX; i++) {
		if (dm.clients[i].fd < 0) {
			dm.clients[i] = (struct client){ .fd = fd };
			return 0;
		}
	}
	errno = EMFILE;
	return -1;
}

/* Every pending connection; beyond DAEMON_CLIENTS_MAX they are closed. */
void attach_accept(void)
{
	for (;;) {
		int fd = accept4(dm.listen, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
		if (fd < 0 && errno == EINTR)
			continue;
		if (fd < 0)
			return;
		if (attach_add(fd) < 0)
			close(fd);
	}
}

static int send_frame(int fd, uint8_t type, const void *p, size_t n)
{
	uint8_t h[5] = { type, (uint8_t)n, (uint8_t)(n >> 8), (uint8_t)(n >> 16), (uint8_t)(n >> 24) };
	struct iovec iov[2] = { { h, 5 }, { (void *)p, n } };
	struct msghdr m = { .msg_iov = iov, .msg_iovlen = 2 };
	ssize_t r;
	do
		r = sendmsg(fd, &m, MSG_NOSIGNAL | MSG_DONTWAIT);
	while (r < 0 && errno == EINTR);
	return r == (ssize_t)(n + 5) ? 0 : -1;
}

/* The whole frame to a client that must not lose output (the foreground
 * CLI): partial sends are finished, waiting up to CLEANER_WAIT_MS for room. */
static int send_frame_waiting(int fd, uint8_t type, const void *p, size_t n)
{
	uint8_t h[5] = { type, (uint8_t)n, (uint8_t)(n >> 8), (uint8_t)(n >> 16), (uint8_t)(n >> 24) };
	const uint8_t *parts[2] = { h, p };
	size_t lens[2] = { 5, n };
	for (int k = 0; k < 2; k++) {
		const uint8_t *b = parts[k];
		size_t left = lens[k];
		while (left > 0) {
			ssize_t r = send(fd, b, left, MSG_NOSIGNAL | MSG_DONTWAIT);
			if (r > 0) {
				b += r;
				left -= (size_t)r;
				continue;
			}
			if (r < 0 && errno == EINTR)
				continue;
			struct pollfd w = { fd, POLLOUT, 0 };
			if (r < 0 && errno == EAGAIN && poll(&w, 1, CLEANER_WAIT_MS) == 1 && !(w.revents & (POLLERR | POLLHUP)))
				continue;
			return -1;
		}
	}
	return 0;
}

void attach_broadcast(uint8_t type, const void *p, size_t n)
{
	for (int i = 0; i < DAEMON_CLIENTS_MAX; i++) {
		struct client *c = &dm.clients[i];
		if (c->fd < 0)
			continue;
		int r = c->cleaner ? send_frame_waiting(c->fd, type, p, n) : send_frame(c->fd, type, p, n);
		if (r < 0)
			drop(c);
	}
}

/* The end: each client learns the exit status (code, or 128+signal);
 * exit_code < 0 (a failed start): closed without an exit frame. A client
 * that said it cleans up (a foreground CLI) stays connected for
 * attach_await_cleaners. */
void attach_close_all(int exit_code)
{
	uint8_t b[4] = { (uint8_t)exit_code, (uint8_t)(exit_code >> 8),
			 (uint8_t)(exit_code >> 16), (uint8_t)(exit_code >> 24) };
	for (int i = 0; i < DAEMON_CLIENTS_MAX; i++) {
		/* frames not read yet (a FR_WILL_CLEAN sent just before a quick exit) */
		struct pollfd p = { dm.clients[i].fd, POLLIN, 0 };
		while (dm.clients[i].fd >= 0 && poll(&p, 1, 0) == 1) {
			int before = dm.clients[i].fd;
			attach_read(&dm.clients[i]);
			if (dm.clients[i].fd != before)
				break;
		}
	}
	for (int i = 0; i < DAEMON_CLIENTS_MAX; i++) {
		struct client *c = &dm.clients[i];
		if (c->fd >= 0) {
			if (exit_code >= 0 && send_frame(c->fd, FR_EXIT, b, sizeof(b)) == 0 && c->cleaner)
				continue;
			drop(c);
		}
	}
}

/* Waits until a cleaning client says FR_CLEANED (then no exit command runs),
 * or every such client is gone (it died: the exit command cleans up), or
 * CLEANER_WAIT_MS pass. */
void attach_await_cleaners(void)
{
	struct timespec deadline;
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += CLEANER_WAIT_MS / 1000;
	while (!dm.cleaned) {
		struct pollfd p[DAEMON_CLIENTS_MAX];
		struct client *who[DAEMON_CLIENTS_MAX];
		nfds_t n = 0;
		for (int i = 0; i < DAEMON_CLIENTS_MAX; i++) {
			if (dm.clients[i].fd >= 0) {
				who[n] = &dm.clients[i];
				p[n++] = (struct pollfd){ dm.clients[i].fd, POLLIN, 0 };
			}
		}
		long ms = ms_left(&deadline);
		if (n == 0 || ms <= 0)
			break;
		int r = poll(p, n, (int)ms);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		for (nfds_t i = 0; i < n; i++)
			if (p[i].revents)
				attach_read(who[i]);
	}
	for (int i = 0; i < DAEMON_CLIENTS_MAX; i++)
		if (dm.clients[i].fd >= 0)
			drop(&dm.clients[i]);
}

static long ms_left(const struct timespec *deadline)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (deadline->tv_sec - now.tv_sec) * 1000 + (deadline->tv_nsec - now.tv_nsec) / 1000000;
}

/* Stdin data to the pty or the stdin pipe (both nonblocking). A container
 * that does not read gets STDIN_WAIT_MS, then the data is dropped: the loop
 * must go on serving the container's output. Until a write goes through
 * again nothing more is waited for, so a flood of frames costs one wait. */
static void to_container(const uint8_t *p, size_t n)
{
	static int stalled;
	int fd = dm.master >= 0 ? dm.master : dm.in;
	struct timespec deadline;
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += STDIN_WAIT_MS / 1000;
	while (fd >= 0 && n > 0) {
		ssize_t r = write(fd, p, n);
		if (r > 0) {
			p += r;
			n -= (size_t)r;
			continue;
		}
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && errno == EAGAIN) {
			struct pollfd w = { fd, POLLOUT, 0 };
			long ms = stalled ? 0 : ms_left(&deadline);
			if (ms > 0 && poll(&w, 1, (int)ms) == 1)
				continue;
			if (!stalled)
				log_message(ST_ERR, "nido-shim: stdin data dropped: the container does not read it\n");
			stalled = 1;
			return;
		}
		/* EPIPE: nobody reads the pipe any more; EIO: the pty is hung up */
		if (fd == dm.in) {
			close(dm.in);
			dm.in = -1;
		}
		return;
	}
	stalled = 0;
}

static int frame_ok(uint8_t type, uint32_t len)
{
	switch (type) {
	case FR_STDIN: return len <= FRAME_MAX;
	case FR_CLOSE_STDIN:
	case FR_WILL_CLEAN:
	case FR_CLEANED: return len == 0;
	case FR_RESIZE:
	case FR_SIGNAL: return len == 4;
	default: return 0;
	}
}

/* A whole control frame has arrived. */
static void frame_done(struct client *c)
{
	switch (c->hdr[0]) {
	case FR_CLOSE_STDIN: /* the container reads EOF; a pty has no such thing */
		if (dm.in >= 0)
			close(dm.in);
		dm.in = -1;
		break;
	case FR_WILL_CLEAN:
		c->cleaner = 1;
		break;
	case FR_CLEANED:
		dm.cleaned = 1;
		break;
	case FR_RESIZE: {
		struct winsize ws = { .ws_row = (unsigned short)(c->ctl[0] | c->ctl[1] << 8),
				      .ws_col = (unsigned short)(c->ctl[2] | c->ctl[3] << 8) };
		if (dm.master >= 0)
			ioctl(dm.master, TIOCSWINSZ, &ws);
		break;
	}
	case FR_SIGNAL: {
		uint32_t sig = le32(c->ctl);
		/* not once reaped: the pid may belong to someone else by now */
		if (!dm.exited && sig > 0 && sig < (uint32_t)NSIG)
			kill(dm.child, (int)sig);
		break;
	}
	}
	c->hdr_n = 0;
	c->ctl_n = 0;
}

/* Returns -1 for a malformed frame. */
static int feed(struct client *c, const uint8_t *p, size_t n)
{
	while (n > 0) {
		if (c->hdr_n < 5) {
			size_t need = 5u - c->hdr_n;
			size_t k = need < n ? need : n;
			memcpy(c->hdr + c->hdr_n, p, k);
			c->hdr_n = (uint8_t)(c->hdr_n + k);
			p += k;
			n -= k;
			if (c->hdr_n < 5)
				return 0;
			c->left = le32(c->hdr + 1);
			if (!frame_ok(c->hdr[0], c->left))
				return -1;
		} else {
			size_t k = c->left < n ? c->left : n;
			if (c->hdr[0] == FR_STDIN) {
				to_container(p, k);
			} else {
				memcpy(c->ctl + c->ctl_n, p, k); /* frame_ok: at most 4 */
				c->ctl_n = (uint8_t)(c->ctl_n + k);
			}
			c->left -= (uint32_t)k;
			p += k;
			n -= k;
		}
		if (c->left == 0)
			frame_done(c);
	}
	return 0;
}

/* Readable, hung up or in error. EOF drops only this client: the container
 * keeps running. */
void attach_read(struct client *c)
{
	uint8_t buf[16384];
	ssize_t r = read(c->fd, buf, sizeof(buf));
	if (r < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (r <= 0 || feed(c, buf, (size_t)r) < 0)
		drop(c);
}
