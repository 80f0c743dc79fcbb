/* daemon.h - the MONITOR op: the helper as a long-lived per-container monitor
 * (like podman's conmon). Java exits after READY; the helper lives on, reaps
 * the container's init, logs its output (ctr.log, Docker's json-file lines),
 * serves attach clients on a socket, writes the exit record and finally execs
 * an exit command. docs/plan-format.md, "Daemon monitor".
 *
 *   daemon.c         the op (setup before CLONE), the end (exit record, exit command)
 *   daemon_loop.c    the poll(2) loop after CLONE
 *   daemon_log.c     ctr.log records and rotation, the exit record file
 *   daemon_attach.c  attach clients: frames both ways */
#ifndef NIDO_DAEMON_H
#define NIDO_DAEMON_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "monitor.h"
#include "plan.h"

/* MONITOR flags */
#define DAEMON_STDIN_OPEN 1u
#define DAEMON_TERMINAL   2u
#define DAEMON_REPORT_EXIT 4u /* keep fd 4 after READY and report EXIT there (a foreground runtime) */

#define DAEMON_CLIENTS_MAX 16

/* Output streams: their own line buffers; the pty is logged as "stdout". */
enum { ST_OUT = 0, ST_ERR = 1, ST_PTY = 2, ST_COUNT = 3 };

/* Attach frames: type:u8 length:u32 LE, then the payload. */
enum frame_type {
	FR_STDIN = 0, FR_STDOUT = 1, FR_STDERR = 2, FR_EXIT = 3,
	FR_CLOSE_STDIN = 4, FR_RESIZE = 5, FR_SIGNAL = 6,
	FR_WILL_CLEAN = 7, FR_CLEANED = 8,
};
/* How long the end waits for a client that said it cleans up (FR_WILL_CLEAN). */
#define CLEANER_WAIT_MS 60000
#define FRAME_MAX (1u << 20)

/* One attach client and its half-read incoming frame (parsed as bytes
 * arrive, so no client costs more than this struct). */
struct client {
	int fd;             /* -1: free slot */
	uint8_t hdr[5];
	uint8_t hdr_n;
	uint8_t ctl[4];     /* payload of a resize or signal frame */
	uint8_t ctl_n;
	uint32_t left;      /* payload bytes of the current frame still to come */
	uint8_t cleaner;    /* sent FR_WILL_CLEAN: the end waits for its FR_CLEANED */
};

struct daemon {
	uint32_t op_index;  /* the MONITOR op, for errors found at CLONE */
	uint32_t flags;
	int dir;            /* the container's directory, O_PATH */
	int log;            /* ctr.log, O_APPEND, or -1 */
	uint64_t log_size;
	uint64_t log_max;
	uint32_t log_files;
	const char *socket_path;
	int listen;         /* listening attach socket, or -1 */
	struct client clients[DAEMON_CLIENTS_MAX];
	int ns_mnt, ns_net; /* the helper's namespaces, to run the exit command in */
	char **exit_command;
	int out, err;       /* our ends of the stdout/stderr pipes, or -1 */
	int in;             /* our end of the stdin pipe, or -1 */
	int master;         /* pty master (TERMINAL), or -1 */
	pid_t child;
	int exited;
	int status;
	int cleaned;        /* a client sent FR_CLEANED: no exit command */
};
extern struct daemon dm;

/* daemon.c */
int op_monitor(struct op *op);
int daemon_check(int relay);
void daemon_after_clone(void);
void daemon_abandon(void);
int daemon_finish(void);

/* daemon_loop.c: returns the helper's exit status, or execs the exit command. */
int daemon_run(struct monitor *m, int sfd);

/* daemon_log.c */
int log_open(void);
void log_feed(int stream, const char *p, size_t n);
void log_flush(int stream);
void log_message(int stream, const char *text);
int write_exit_record(int status);

/* daemon_attach.c */
int attach_add(int fd);
void attach_accept(void);
void attach_read(struct client *c);
void attach_broadcast(uint8_t type, const void *p, size_t n);
void attach_close_all(int exit_code);
void attach_await_cleaners(void);

#endif
