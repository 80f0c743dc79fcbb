/* init.h - the child side: ops after CLONE, ending in EXEC. */
#ifndef NIDO_INIT_H
#define NIDO_INIT_H

#include <stdint.h>
#include "plan.h"

/* Runs the ops after CLONE. sock: the internal socketpair end (events up,
 * go byte down). console: the CONSOLE_RELAY socket end to become fd 5, or -1.
 * Never returns: execs, or _exits 1 (127 when EXEC fails), or 0 at the end
 * of a plan without EXEC. */
void child_main(struct plan *plan, int sock, int console) __attribute__((noreturn));

/* WRITE_FILE, shared by the parent (op 4) and the child (op 21). */
int do_write_file(const char *path, const char *content, uint32_t len);

#endif
