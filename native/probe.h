/* probe.h - what the parts of nido-probe share (probe.c: facts and actions;
 * probe_try.c: dangerous operations; probe_watch.c: the /proc/PID/exe attacker). */
#ifndef NIDO_PROBE_H
#define NIDO_PROBE_H

#include <sys/types.h>

/* Reads a small file into buf (NUL-terminated); returns length or -1. */
ssize_t slurp(const char *path, char *buf, size_t n);
/* The errno's name (EPERM), or EUNKNOWN. */
const char *errname(int e);

/* fds=0,1,2: the open descriptors (probe.c) */
void fact_fds(void);
int do_try(int n, char **ops);
int do_exe_watch(int seconds, const char *file);

#endif
