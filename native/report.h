/* report.h - events from the helper to Java (fd 4) and from the child to the
 * helper (internal socketpair). Same encoding on both: type:u32 length:u32
 * payload. */
#ifndef NIDO_REPORT_H
#define NIDO_REPORT_H

#include <stdint.h>
#include <sys/types.h>

enum event_type { EV_PID = 1, EV_READY = 2, EV_ERROR = 3, EV_EXIT = 4 };

/* Largest event: ERROR with a PATH_MAX path and a short message. */
#define EVENT_MAX 8192

/* Largest container state that may follow the go byte (hook stdin). */
#define GO_STATE_MAX 65536

int event_send(int fd, uint32_t type, const void *payload, uint32_t len);
int report_pid(int fd, pid_t pid);
int report_ready(int fd);
int report_exit(int fd, int status);

/* An op records why it failed with op_fail (returns -1 so an op can
 * `return op_fail(...)`); the dispatcher then sends it with report_failure. */
int op_fail(int err, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int report_failure(int fd, uint32_t index, uint16_t opcode);
int report_error(int fd, uint32_t index, uint16_t opcode, int err,
		 const char *path, const char *message);

/* read(2) until buf is full (EINTR retried); -1 on error or EOF first. */
int read_full(int fd, void *buf, size_t n);

/* write(2) until all of buf is written (EINTR retried); -1 on error or EOF. */
int write_full(int fd, const void *buf, size_t n);

/* A close-on-exec AF_UNIX stream socket connected to path; -1 with errno set
 * (ENAMETOOLONG for a path longer than sun_path). */
int unix_connect(const char *path);

#endif
