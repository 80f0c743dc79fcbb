/* plan.h - decoding of the launch plan (docs/plan-format.md).
 *
 * The whole plan is read and validated before anything runs, so a malformed
 * plan fails before any namespace or process exists. Each op is decoded into
 * an array of fields following a per-opcode signature. */
#ifndef NIDO_PLAN_H
#define NIDO_PLAN_H

#include <stddef.h>
#include <stdint.h>

#define PLAN_MAGIC   0x4f44494eu /* "NIDO" little-endian */
#define PLAN_VERSION 1u

enum opcode {
	OP_END = 0, OP_MODE = 1, OP_JOIN_NS = 2, OP_UNSHARE = 3, OP_PWRITE_FILE = 4,
	OP_CLONE = 5, OP_CONSOLE_RELAY = 6,
	OP_WAIT_GO = 10, OP_SETHOSTNAME = 11, OP_SETDOMAINNAME = 12, OP_ROOTFS = 13,
	OP_MOUNT = 14, OP_MKNOD = 15, OP_SYMLINK = 16, OP_PIVOT_ROOT = 17,
	OP_CHROOT = 18, OP_MASK_PATH = 19, OP_READONLY_PATH = 20, OP_WRITE_FILE = 21,
	OP_REMOUNT_RO = 22, OP_RLIMIT = 23, OP_UMASK = 24, OP_SETSID = 25,
	OP_CONSOLE = 26, OP_CHDIR = 27, OP_USER = 28, OP_NO_NEW_PRIVS = 29,
	OP_SECCOMP = 30, OP_READY = 31, OP_OPEN_FIFO = 32, OP_WAIT_FIFO = 33,
	OP_RUN_HOOK = 34, OP_EXEC = 35, OP_MKDIR = 36, OP_OOM_SCORE_ADJ = 37,
	OP_FIND_EXEC = 38, OP_IDMAP_TREE = 39, OP_MOVE_TREE = 40, OP_LISTENER = 41,
	OP_MONITOR = 42,
	OP_MAX = 42
};

/* MODE values */
#define MODE_DETACH  1
#define MODE_MONITOR 2
#define MODE_DAEMON  3 /* internal: set by the MONITOR op, never by MODE */

/* MOUNT tflags */
#define TF_IN_ROOT    1u
#define TF_MKDIR      2u
#define TF_MKFILE     4u

/* One decoded field. Integers land in u; str and bytes in s (NUL-terminated,
 * n = length); strv in v (NULL-terminated, n = count). */
struct field {
	uint64_t u;
	char *s;
	char **v;
	uint32_t n;
};

#define MAX_FIELDS 10

struct op {
	uint32_t index;   /* position in the plan, END excluded (ERROR index) */
	uint16_t code;
	struct field f[MAX_FIELDS];
};

struct plan {
	struct op *ops;
	size_t count;     /* END excluded */
	size_t clone_at;  /* index of the CLONE op */
};

/* A decode failure, reported as ERROR with errno EINVAL. */
struct plan_error {
	uint32_t index;
	uint16_t code;
	const char *message;
};

/* A bounds-checked reader over one op's payload. */
struct cursor {
	const uint8_t *p;
	const uint8_t *end;
};

int get_u16(struct cursor *c, uint16_t *out);
int get_u32(struct cursor *c, uint32_t *out);
int get_u64(struct cursor *c, uint64_t *out);
int get_str(struct cursor *c, char **out, uint32_t *len);
int get_bytes(struct cursor *c, char **out, uint32_t *len);
int get_strv(struct cursor *c, char ***out, uint32_t *count);

/* Reads ops from fd up to and including END. Returns 0, or -1 with *err set. */
int plan_read(int fd, struct plan *plan, struct plan_error *err);

const char *op_name(uint16_t code);
int op_is_parent(uint16_t code);

#endif
