/* notify.c - LISTENER (parent) and the hand-over of the seccomp listener fd. */
#include "notify.h"
#include "child.h"
#include "report.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int listener = -1;
static char *metadata; /* a JSON string literal, quoted by Java */
static const char *listener_path = "";

/* LISTENER path metadata: connect(2) to the agent's AF_UNIX SOCK_STREAM socket. */
int op_listener(struct op *op)
{
	const char *path = op->f[0].s;
	int fd = unix_connect(path);
	if (fd < 0)
		return op_fail(errno, path, errno == ENAMETOOLONG ? "seccomp listener path too long"
			       : "cannot connect to the seccomp agent");
	listener = fd;
	listener_path = path;
	metadata = op->f[1].s;
	return 0;
}

int send_notify_fd(int notify_fd)
{
	if (listener < 0) {
		close(notify_fd);
		return op_fail(EINVAL, "", "a listener filter without LISTENER");
	}
	size_t n = 128 + strlen(metadata) + ch.state_len;
	char *msg = malloc(n);
	if (!msg)
		return op_fail(ENOMEM, "", "out of memory");
	int len = snprintf(msg, n, "{\"ociVersion\":\"1.2.0\",\"fds\":[\"seccompFd\"],\"pid\":%d,\"metadata\":%s,"
			   "\"state\":%.*s}", (int)ch.host_pid, *metadata ? metadata : "\"\"",
			   (int)ch.state_len, ch.state_len ? ch.state : "{}");
	char cbuf[CMSG_SPACE(sizeof(int))];
	memset(cbuf, 0, sizeof(cbuf));
	struct iovec iov = { msg, (size_t)len };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &notify_fd, sizeof(int));
	ssize_t r;
	do
		r = sendmsg(listener, &m, MSG_NOSIGNAL);
	while (r < 0 && errno == EINTR);
	int e = errno;
	free(msg);
	close(notify_fd);
	close(listener);
	listener = -1;
	if (r < 0)
		return op_fail(e, listener_path, "cannot send the seccomp listener fd to the agent");
	return 0;
}
