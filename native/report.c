/* report.c - encodes events (docs/plan-format.md, "Events"). */
#include "report.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static void put_u32(uint8_t *b, uint32_t v)
{
	b[0] = (uint8_t)v;
	b[1] = (uint8_t)(v >> 8);
	b[2] = (uint8_t)(v >> 16);
	b[3] = (uint8_t)(v >> 24);
}

/* One event = one write, so it is never interleaved (a pipe write of at most
 * PIPE_BUF bytes is atomic, pipe(7)) and is one SOCK_SEQPACKET message.
 * MSG_NOSIGNAL: a dead peer must give EPIPE, not kill us with SIGPIPE. */
int event_send(int fd, uint32_t type, const void *payload, uint32_t len)
{
	uint8_t buf[EVENT_MAX];
	if (len > sizeof(buf) - 8)
		len = sizeof(buf) - 8;
	put_u32(buf, type);
	put_u32(buf + 4, len);
	if (len)
		memcpy(buf + 8, payload, len);
	for (;;) {
		ssize_t r = send(fd, buf, len + 8, MSG_NOSIGNAL);
		if (r < 0 && errno == ENOTSOCK)
			r = write(fd, buf, len + 8);
		if (r < 0 && errno == EINTR)
			continue;
		return r == (ssize_t)(len + 8) ? 0 : -1;
	}
}

int report_pid(int fd, pid_t pid)
{
	uint8_t b[4];
	put_u32(b, (uint32_t)pid);
	return event_send(fd, EV_PID, b, 4);
}

int report_ready(int fd)
{
	return event_send(fd, EV_READY, NULL, 0);
}

int report_exit(int fd, int status)
{
	uint8_t b[4];
	put_u32(b, (uint32_t)status);
	return event_send(fd, EV_EXIT, b, 4);
}

/* Appends a str (length:u32 bytes) to b at *off, cut to what fits. */
static void put_str(uint8_t *b, size_t cap, size_t *off, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n > cap - *off - 4)
		n = cap - *off - 4;
	put_u32(b + *off, (uint32_t)n);
	memcpy(b + *off + 4, s ? s : "", n);
	*off += 4 + n;
}

int report_error(int fd, uint32_t index, uint16_t opcode, int err,
		 const char *path, const char *message)
{
	uint8_t b[EVENT_MAX - 8];
	size_t off = 12;
	put_u32(b, index);
	put_u32(b + 4, opcode); /* opcode:u16 reserved:u16 = 0 */
	put_u32(b + 8, (uint32_t)err);
	put_str(b, sizeof(b) - 512, &off, path); /* keep room for the message */
	put_str(b, sizeof(b), &off, message);
	return event_send(fd, EV_ERROR, b, (uint32_t)off);
}

static struct {
	int err;
	char path[4096];
	char message[256];
} failure;

int op_fail(int err, const char *path, const char *fmt, ...)
{
	va_list ap;
	failure.err = err;
	snprintf(failure.path, sizeof(failure.path), "%s", path ? path : "");
	va_start(ap, fmt);
	vsnprintf(failure.message, sizeof(failure.message), fmt, ap);
	va_end(ap);
	return -1;
}

int report_failure(int fd, uint32_t index, uint16_t opcode)
{
	return report_error(fd, index, opcode, failure.err, failure.path, failure.message);
}

int read_full(int fd, void *buf, size_t n)
{
	char *b = buf;
	while (n > 0) {
		ssize_t r = read(fd, b, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		b += r;
		n -= (size_t)r;
	}
	return 0;
}

int write_full(int fd, const void *buf, size_t n)
{
	const char *b = buf;
	while (n > 0) {
		ssize_t r = write(fd, b, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		b += r;
		n -= (size_t)r;
	}
	return 0;
}

int unix_connect(const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	if (strlen(path) >= sizeof(a.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(a.sun_path, path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}
