/* monitor.h - the helper's loop after CLONE (docs/plan-format.md,
 * "The parent loop after CLONE"). */
#ifndef NIDO_MONITOR_H
#define NIDO_MONITOR_H

#include <signal.h>
#include <sys/types.h>

struct monitor {
	pid_t child;
	int sock;        /* internal socketpair: events up, go byte down */
	int relay;       /* CONSOLE_RELAY socket (receives the pty master), or -1 */
	int mode;        /* MODE_DETACH, MODE_MONITOR or MODE_DAEMON */
	sigset_t signals; /* blocked before CLONE; read here with signalfd */
};

/* The signals the helper forwards to the child in monitor mode. */
void monitor_signals(sigset_t *set);

/* Receives one fd sent with SCM_RIGHTS (the pty master); -1 on EOF. */
int monitor_recv_fd(int sock);

/* Returns the helper's exit status. */
int monitor_run(struct monitor *m);

#endif
