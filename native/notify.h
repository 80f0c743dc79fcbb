/* notify.h - seccomp user notification (SCMP_ACT_NOTIFY): the helper connects
 * to the spec's listenerPath before it joins or creates any namespace (LISTENER,
 * parent op; the child inherits the socket), and the child sends the listener
 * fd from seccomp(2) there with the container process state (runtime-spec
 * config-linux.md, "seccomp"). */
#ifndef NIDO_NOTIFY_H
#define NIDO_NOTIFY_H

#include "plan.h"

int op_listener(struct op *op);
/* Sends notify_fd and the process state to the listener, then closes both. */
int send_notify_fd(int notify_fd);

#endif
