/* plan.c - reads and validates the plan from fd 3 (docs/plan-format.md). */
#include "plan.h"
#include "report.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Upper bound for one op's payload: far above any real plan (a seccomp
 * program is at most BPF_MAXINSNS * 8 = 32 KiB), low enough to refuse garbage. */
#define MAX_PAYLOAD (16u << 20)

/* Field signatures: '4' u32, '8' u64, 's' str, 'b' bytes, 'v' strv. */
struct opdef {
	const char *name;
	const char *fields;
	int parent; /* 1: runs before CLONE in the helper, 0: runs in the child */
};

static const struct opdef defs[OP_MAX + 1] = {
	[OP_END]            = { "END", "", 1 },
	[OP_MODE]           = { "MODE", "4", 1 },
	[OP_JOIN_NS]        = { "JOIN_NS", "4s", 1 },
	[OP_UNSHARE]        = { "UNSHARE", "8", 1 },
	[OP_PWRITE_FILE]    = { "WRITE_FILE", "ss", 1 },
	[OP_CLONE]          = { "CLONE", "8", 1 },
	[OP_CONSOLE_RELAY]  = { "CONSOLE_RELAY", "", 1 },
	[OP_WAIT_GO]        = { "WAIT_GO", "", 0 },
	[OP_SETHOSTNAME]    = { "SETHOSTNAME", "s", 0 },
	[OP_SETDOMAINNAME]  = { "SETDOMAINNAME", "s", 0 },
	[OP_ROOTFS]         = { "ROOTFS", "s", 0 },
	[OP_MOUNT]          = { "MOUNT", "sss8s4", 0 },
	[OP_MKNOD]          = { "MKNOD", "s4844", 0 },
	[OP_SYMLINK]        = { "SYMLINK", "ss", 0 },
	[OP_PIVOT_ROOT]     = { "PIVOT_ROOT", "", 0 },
	[OP_CHROOT]         = { "CHROOT", "", 0 },
	[OP_MASK_PATH]      = { "MASK_PATH", "s", 0 },
	[OP_READONLY_PATH]  = { "READONLY_PATH", "s", 0 },
	[OP_WRITE_FILE]     = { "WRITE_FILE", "ss", 0 },
	[OP_REMOUNT_RO]     = { "REMOUNT_RO", "s", 0 },
	[OP_RLIMIT]         = { "RLIMIT", "488", 0 },
	[OP_UMASK]          = { "UMASK", "4", 0 },
	[OP_SETSID]         = { "SETSID", "", 0 },
	[OP_CONSOLE]        = { "CONSOLE", "4", 0 },
	[OP_CHDIR]          = { "CHDIR", "s", 0 },
	[OP_USER]           = { "USER", "44v488888", 0 },
	[OP_NO_NEW_PRIVS]   = { "NO_NEW_PRIVS", "", 0 },
	[OP_SECCOMP]        = { "SECCOMP", "4b", 0 },
	[OP_READY]          = { "READY", "", 0 },
	[OP_OPEN_FIFO]      = { "OPEN_FIFO", "s", 0 },
	[OP_WAIT_FIFO]      = { "WAIT_FIFO", "", 0 },
	[OP_RUN_HOOK]       = { "RUN_HOOK", "svv4s", 0 },
	[OP_EXEC]           = { "EXEC", "svv", 0 },
	[OP_MKDIR]          = { "MKDIR", "s4", 0 },
	[OP_OOM_SCORE_ADJ]  = { "OOM_SCORE_ADJ", "s", 0 },
	[OP_FIND_EXEC]      = { "FIND_EXEC", "sv", 0 },
	[OP_IDMAP_TREE]     = { "IDMAP_TREE", "s4ss8", 1 },
	[OP_MOVE_TREE]      = { "MOVE_TREE", "4s4", 0 },
	[OP_LISTENER]       = { "LISTENER", "ss", 1 },
	[OP_MONITOR]        = { "MONITOR", "sss484v", 1 },
};

static const struct opdef *def_of(uint16_t code)
{
	if (code > OP_MAX || defs[code].name == NULL)
		return NULL;
	return &defs[code];
}

const char *op_name(uint16_t code)
{
	const struct opdef *d = def_of(code);
	return d ? d->name : "?";
}

int op_is_parent(uint16_t code)
{
	const struct opdef *d = def_of(code);
	return d ? d->parent : 0;
}

/* ---- cursor ---- */

static int take(struct cursor *c, size_t n, const uint8_t **at)
{
	if ((size_t)(c->end - c->p) < n)
		return -1;
	*at = c->p;
	c->p += n;
	return 0;
}

int get_u16(struct cursor *c, uint16_t *out)
{
	const uint8_t *b;
	if (take(c, 2, &b))
		return -1;
	*out = (uint16_t)(b[0] | b[1] << 8);
	return 0;
}

int get_u32(struct cursor *c, uint32_t *out)
{
	const uint8_t *b;
	if (take(c, 4, &b))
		return -1;
	*out = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
	return 0;
}

int get_u64(struct cursor *c, uint64_t *out)
{
	uint32_t lo, hi;
	if (get_u32(c, &lo) || get_u32(c, &hi))
		return -1;
	*out = (uint64_t)hi << 32 | lo;
	return 0;
}

/* bytes: a length-prefixed copy, NUL-terminated for convenience. */
int get_bytes(struct cursor *c, char **out, uint32_t *len)
{
	const uint8_t *b;
	uint32_t n;
	if (get_u32(c, &n) || take(c, n, &b))
		return -1;
	char *s = malloc((size_t)n + 1);
	if (!s)
		return -1;
	memcpy(s, b, n);
	s[n] = '\0';
	*out = s;
	*len = n;
	return 0;
}

/* str: like bytes, but an embedded NUL would silently cut a path short. */
int get_str(struct cursor *c, char **out, uint32_t *len)
{
	if (get_bytes(c, out, len))
		return -1;
	if (memchr(*out, '\0', *len)) {
		free(*out);
		return -1;
	}
	return 0;
}

int get_strv(struct cursor *c, char ***out, uint32_t *count)
{
	uint32_t n, len;
	if (get_u32(c, &n))
		return -1;
	/* each str takes at least 4 bytes: refuse counts the payload cannot hold */
	if (n > (size_t)(c->end - c->p) / 4)
		return -1;
	char **v = calloc((size_t)n + 1, sizeof(char *));
	if (!v)
		return -1;
	for (uint32_t i = 0; i < n; i++)
		if (get_str(c, &v[i], &len))
			return -1; /* the plan is abandoned: no need to free */
	*out = v;
	*count = n;
	return 0;
}

/* ---- plan ---- */

static int decode_fields(struct op *op, const char *sig, struct cursor *c)
{
	for (int i = 0; sig[i]; i++) {
		struct field *f = &op->f[i];
		uint32_t u32;
		int r;
		switch (sig[i]) {
		case '4': r = get_u32(c, &u32); f->u = u32; break;
		case '8': r = get_u64(c, &f->u); break;
		case 's': r = get_str(c, &f->s, &f->n); break;
		case 'b': r = get_bytes(c, &f->s, &f->n); break;
		case 'v': r = get_strv(c, &f->v, &f->n); break;
		default: r = -1;
		}
		if (r)
			return -1;
	}
	return 0;
}

static int fail(struct plan_error *err, uint32_t index, uint16_t code, const char *msg)
{
	err->index = index;
	err->code = code;
	err->message = msg;
	return -1;
}

/* Reads exactly up to END, never beyond: the control byte follows later on
 * the same pipe. */
int plan_read(int fd, struct plan *plan, struct plan_error *err)
{
	uint8_t hdr[8];
	struct cursor c = { hdr, hdr + 8 };
	uint32_t magic, version;
	size_t cap = 0;
	int seen_clone = 0;

	memset(plan, 0, sizeof(*plan));
	if (read_full(fd, hdr, 8) || get_u32(&c, &magic) || get_u32(&c, &version))
		return fail(err, 0, 0, "truncated plan header");
	if (magic != PLAN_MAGIC)
		return fail(err, 0, 0, "bad plan magic");
	if (version != PLAN_VERSION)
		return fail(err, 0, 0, "unsupported plan version");

	for (uint32_t index = 0;; index++) {
		uint16_t code, reserved;
		uint32_t len;
		c = (struct cursor){ hdr, hdr + 8 };
		if (read_full(fd, hdr, 8))
			return fail(err, index, 0, "truncated plan: no END");
		get_u16(&c, &code);
		get_u16(&c, &reserved);
		get_u32(&c, &len);

		const struct opdef *d = def_of(code);
		if (!d)
			return fail(err, index, code, "unknown opcode");
		if (reserved != 0)
			return fail(err, index, code, "reserved field not zero");
		if (len > MAX_PAYLOAD)
			return fail(err, index, code, "payload too large");
		uint8_t *payload = malloc(len ? len : 1);
		if (!payload || read_full(fd, payload, len))
			return fail(err, index, code, "truncated op payload");

		struct op op = { .index = index, .code = code };
		struct cursor pc = { payload, payload + len };
		if (decode_fields(&op, d->fields, &pc))
			return fail(err, index, code, "op payload shorter than its fields");
		if (pc.p != pc.end)
			return fail(err, index, code, "trailing bytes in op payload");
		free(payload);

		if (code == OP_END)
			break;
		/* phase order: parent ops, CLONE, child ops */
		if (d->parent && seen_clone)
			return fail(err, index, code, "parent op after CLONE");
		if (!d->parent && !seen_clone)
			return fail(err, index, code, "child op before CLONE");
		if (code == OP_CLONE) {
			seen_clone = 1;
			plan->clone_at = index;
		}

		if (plan->count == cap) {
			cap = cap ? cap * 2 : 32;
			struct op *ops = realloc(plan->ops, cap * sizeof(*ops));
			if (!ops)
				return fail(err, index, code, "out of memory");
			plan->ops = ops;
		}
		plan->ops[plan->count++] = op;
	}
	if (!seen_clone)
		return fail(err, (uint32_t)plan->count, 0, "plan has no CLONE");
	return 0;
}
