/* init.c - the child ops (docs/plan-format.md, "Child ops").
 *
 * Each op is one small function, run in plan order from the table at the
 * end. An op returns 0, or -1 after op_fail() recorded errno, path and a
 * message; child_main then sends ERROR and exits. No op decides anything:
 * what to mount, which capabilities to keep, which paths to mask is Java's. */
#include "init.h"
#include "report.h"
#include "syscalls.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

static struct {
	int sock;         /* internal socketpair to the helper (close-on-exec) */
	const char *root; /* ROOTFS path; "/" once the root has changed */
	int fifo;         /* OPEN_FIFO descriptor, -1 if none */
	const char *state; /* the container state sent with the go (hook stdin) */
	uint32_t state_len;
} ch = { -1, NULL, -1, "", 0 };

/* "" in a plan means "pass NULL" (mount(2) source, fstype, data). */
static const char *nz(const char *s)
{
	return s && *s ? s : NULL;
}

static void fd_path(char *buf, size_t n, int fd)
{
	snprintf(buf, n, "/proc/self/fd/%d", fd);
}

/* ---- in-root resolution ---- */

/* The root is re-opened from its path at each use rather than kept open since
 * ROOTFS: an fd opened before the rootfs is bind-mounted onto itself would
 * still point at the covered directory, so in-root mounts would land under the
 * bind mount and pivot_root(2) would see no mount point. */
static int open_root(void)
{
	if (!ch.root) {
		errno = EINVAL;
		return -1;
	}
	return open(ch.root, O_PATH | O_DIRECTORY | O_CLOEXEC);
}

/* openat2(2) with RESOLVE_IN_ROOT: "/", ".." and absolute symlinks are all
 * clamped to base, so a symlink planted in the image cannot lead out; magic
 * links (/proc/self/root and friends) are refused outright. EAGAIN means a
 * concurrent rename raced the lookup: retry. */
static int resolve_in(int base, const char *path, int flags)
{
	struct open_how how = {
		.flags = (uint64_t)(O_PATH | O_CLOEXEC | flags),
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	int fd;
	if (*path == '\0')
		path = ".";
	do
		fd = sys_openat2(base, path, &how);
	while (fd < 0 && errno == EAGAIN);
	return fd;
}

/* Whether only slashes follow p. */
static int last_component(const char *p)
{
	return p[strspn(p, "/")] == '\0';
}

/* mkdir -p inside base; returns an O_PATH fd of the directory.
 * Each missing component is created with mkdirat(2) in the directory that the
 * previous prefix resolved to in-root, then the prefix is resolved again in
 * root: whatever is found at a name (a symlink, say) is followed only inside
 * the root. Modes are exact: the umask is cleared around mkdirat. */
static int mkdir_in_root(int base, const char *path, mode_t mode)
{
	/* like mkdir -p -m: missing parents get 0755, the last component mode */
	char buf[PATH_MAX];
	int dir, fd = resolve_in(base, path, O_DIRECTORY);
	if (fd >= 0 || errno != ENOENT)
		return fd;
	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	dir = resolve_in(base, "/", O_DIRECTORY);
	for (char *p = buf; dir >= 0 && *p;) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		char *name = p;
		while (*p && *p != '/')
			p++;
		char saved = *p;
		int last = last_component(p);
		*p = '\0'; /* buf is now the prefix up to and including name */
		fd = resolve_in(base, buf, O_DIRECTORY);
		if (fd < 0 && errno == ENOENT) {
			mode_t old = umask(0);
			int r = mkdirat(dir, name, last ? mode : 0755);
			umask(old);
			if (r < 0 && errno != EEXIST)
				fd = -1;
			else
				fd = resolve_in(base, buf, O_DIRECTORY);
		}
		int e = errno;
		close(dir);
		errno = e;
		dir = fd;
		*p = saved;
	}
	return dir;
}

/* Splits path into a parent directory (created in-root, returned as an
 * O_PATH fd) and its last component (*name, pointing into buf). */
static int make_parent(int base, const char *path, char *buf, size_t n, const char **name)
{
	if (snprintf(buf, n, "%s", path) >= (int)n) {
		errno = ENAMETOOLONG;
		return -1;
	}
	size_t len = strlen(buf);
	while (len > 1 && buf[len - 1] == '/')
		buf[--len] = '\0';
	char *slash = strrchr(buf, '/');
	*name = slash ? slash + 1 : buf;
	if (**name == '\0' || !strcmp(*name, ".") || !strcmp(*name, "..")) {
		errno = EINVAL;
		return -1;
	}
	if (!slash)
		return resolve_in(base, "/", O_DIRECTORY);
	*slash = '\0';
	int fd = mkdir_in_root(base, buf[0] ? buf : "/", 0755);
	*slash = '/';
	return fd;
}

/* Creates an empty file (a bind-mount target) if nothing is there.
 * O_EXCL also means a symlink at that name is never followed. */
static int mkfile_in_root(int base, const char *path)
{
	char buf[PATH_MAX];
	const char *name;
	int dir = make_parent(base, path, buf, sizeof(buf), &name);
	if (dir < 0)
		return -1;
	int fd = openat(dir, name, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644);
	int e = errno;
	close(dir);
	if (fd < 0 && e != EEXIST) {
		errno = e;
		return -1;
	}
	if (fd >= 0)
		close(fd);
	return resolve_in(base, path, 0);
}

/* Opens a MOUNT target per tflags: in-root (else from the real "/"), created
 * as a directory or an empty file if asked. Returns an O_PATH fd. */
static int open_target(const char *path, uint32_t tflags)
{
	int base = (tflags & TF_IN_ROOT) ? open_root()
					 : open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	int fd;
	if (base < 0)
		return -1;
	if (tflags & TF_MKDIR)
		fd = mkdir_in_root(base, path, 0755);
	else if (tflags & TF_MKFILE)
		fd = mkfile_in_root(base, path);
	else
		fd = resolve_in(base, path, 0);
	int e = errno;
	close(base);
	errno = e;
	return fd;
}

/* The mount flags a remount must keep. statvfs(3) ST_* bits differ from
 * MS_* for the atime ones; in a user namespace, dropping a flag the mount
 * was locked with fails with EPERM (mount_namespaces(7)). */
static int kept_flags(const char *path, unsigned long *flags)
{
	static const struct { unsigned long st, ms; } map[] = {
		{ ST_NOSUID, MS_NOSUID }, { ST_NODEV, MS_NODEV },
		{ ST_NOEXEC, MS_NOEXEC }, { ST_NOATIME, MS_NOATIME },
		{ ST_NODIRATIME, MS_NODIRATIME }, { ST_RELATIME, MS_RELATIME },
	};
	struct statvfs sv;
	if (statvfs(path, &sv) < 0)
		return -1;
	*flags = 0;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (sv.f_flag & map[i].st)
			*flags |= map[i].ms;
	return 0;
}

/* ---- ops ---- */

/* WAIT_GO: the helper relays Java's go byte; anything else (EOF: the helper
 * died or aborted) ends the child. Until now PR_SET_PDEATHSIG made a dead
 * helper kill us; from here the container may outlive it (detach mode). */
static int op_wait_go(struct op *op)
{
	(void)op;
	static char msg[1 + GO_STATE_MAX];
	ssize_t r;
	do
		r = read(ch.sock, msg, sizeof(msg));
	while (r < 0 && errno == EINTR);
	if (r < 1 || msg[0] != 'G')
		_exit(1);
	ch.state = msg + 1; /* the container state that came with the go */
	ch.state_len = (uint32_t)(r - 1);
	if (prctl(PR_SET_PDEATHSIG, 0) < 0)
		return op_fail(errno, "", "prctl(PR_SET_PDEATHSIG, 0) failed");
	return 0;
}

static int op_sethostname(struct op *op)
{
	if (sethostname(op->f[0].s, op->f[0].n) < 0)
		return op_fail(errno, op->f[0].s, "sethostname failed");
	return 0;
}

static int op_setdomainname(struct op *op)
{
	if (setdomainname(op->f[0].s, op->f[0].n) < 0)
		return op_fail(errno, op->f[0].s, "setdomainname failed");
	return 0;
}

/* ROOTFS: checked now, re-opened at each use (see open_root). */
static int op_rootfs(struct op *op)
{
	ch.root = op->f[0].s;
	int fd = open_root();
	if (fd < 0)
		return op_fail(errno, ch.root, "cannot open rootfs");
	close(fd);
	return 0;
}

/* MOUNT source target fstype flags data tflags */
static int op_mount(struct op *op)
{
	const char *src = op->f[0].s, *target = op->f[1].s, *fstype = op->f[2].s;
	unsigned long flags = (unsigned long)op->f[3].u;
	const char *data = op->f[4].s;
	uint32_t tflags = (uint32_t)op->f[5].u;
	const unsigned long bind_extra = MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC;
	char where[64];
	int fd = -1, e;

	if (tflags & (TF_IN_ROOT | TF_MKDIR | TF_MKFILE)) {
		fd = open_target(target, tflags);
		if (fd < 0)
			return op_fail(errno, target, "cannot resolve mount target");
		fd_path(where, sizeof(where), fd);
	}
	if (mount(nz(src), fd >= 0 ? where : target, nz(fstype), flags, nz(data)) < 0) {
		e = errno;
		if (fd >= 0)
			close(fd);
		return op_fail(e, target, "mount %s on %s failed", src, target);
	}
	if (fd >= 0)
		close(fd);
	if (!(flags & MS_BIND) || !(flags & bind_extra) || (flags & MS_REMOUNT))
		return 0;

	/* mount(2): a bind mount ignores MS_RDONLY etc.; they take a second
	 * MS_REMOUNT|MS_BIND. The target is resolved again so that it names
	 * the new mount, not the directory it covers. */
	fd = -1;
	if (tflags & TF_IN_ROOT) {
		fd = open_target(target, TF_IN_ROOT);
		if (fd < 0)
			return op_fail(errno, target, "cannot resolve bind mount for remount");
		fd_path(where, sizeof(where), fd);
	}
	int r = mount(NULL, fd >= 0 ? where : target, NULL,
		      (flags & ~MS_REC) | MS_REMOUNT, nz(data));
	e = errno;
	if (fd >= 0)
		close(fd);
	if (r < 0)
		return op_fail(e, target, "remount of bind mount %s failed", target);
	return 0;
}

/* MKNOD path mode dev uid gid */
static int op_mknod(struct op *op)
{
	const char *path = op->f[0].s, *name;
	char buf[PATH_MAX];
	int base = open_root();
	if (base < 0)
		return op_fail(errno, path, "cannot open rootfs");
	int dir = make_parent(base, path, buf, sizeof(buf), &name);
	close(base);
	if (dir < 0)
		return op_fail(errno, path, "cannot create parent directory");
	mode_t old = umask(0); /* the mode is exact, whatever our umask */
	int r = mknodat(dir, name, (mode_t)op->f[1].u, (dev_t)op->f[2].u);
	umask(old);
	if (r < 0) {
		int e = errno;
		close(dir);
		return e == EEXIST ? 0 : op_fail(e, path, "mknod failed");
	}
	r = fchownat(dir, name, (uid_t)op->f[3].u, (gid_t)op->f[4].u, AT_SYMLINK_NOFOLLOW);
	int e = errno;
	close(dir);
	return r < 0 ? op_fail(e, path, "chown of device node failed") : 0;
}

/* SYMLINK target linkpath */
static int op_symlink(struct op *op)
{
	const char *target = op->f[0].s, *path = op->f[1].s, *name;
	char buf[PATH_MAX];
	int base = open_root();
	if (base < 0)
		return op_fail(errno, path, "cannot open rootfs");
	int dir = make_parent(base, path, buf, sizeof(buf), &name);
	close(base);
	if (dir < 0)
		return op_fail(errno, path, "cannot create parent directory");
	int r = symlinkat(target, dir, name);
	int e = errno;
	close(dir);
	if (r < 0 && e != EEXIST)
		return op_fail(e, path, "symlink failed");
	return 0;
}

/* PIVOT_ROOT: pivot_root(".", ".") stacks the old root on top of the new one
 * (pivot_root(2), NOTES), so no put_old directory is needed; MS_SLAVE keeps
 * the lazy unmount from propagating back to the host. */
static int op_pivot_root(struct op *op)
{
	(void)op;
	int fd = open_root();
	if (fd < 0)
		return op_fail(errno, ch.root ? ch.root : "", "cannot open rootfs");
	int r = fchdir(fd);
	int e = errno;
	close(fd);
	if (r < 0)
		return op_fail(e, ch.root, "fchdir to rootfs failed");
	if (sys_pivot_root(".", ".") < 0)
		return op_fail(errno, ch.root, "pivot_root failed");
	if (mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0)
		return op_fail(errno, "/", "making the old root a slave failed");
	if (umount2(".", MNT_DETACH) < 0)
		return op_fail(errno, "/", "detaching the old root failed");
	if (chdir("/") < 0)
		return op_fail(errno, "/", "chdir / failed");
	ch.root = "/";
	return 0;
}

/* CHROOT (--no-pivot): move the rootfs mount over / and chroot into it. */
static int op_chroot(struct op *op)
{
	(void)op;
	int fd = open_root();
	if (fd < 0)
		return op_fail(errno, ch.root ? ch.root : "", "cannot open rootfs");
	int r = fchdir(fd);
	int e = errno;
	close(fd);
	if (r < 0)
		return op_fail(e, ch.root, "fchdir to rootfs failed");
	if (mount(".", "/", NULL, MS_MOVE, NULL) < 0)
		return op_fail(errno, ch.root, "moving rootfs onto / failed");
	if (chroot(".") < 0)
		return op_fail(errno, ch.root, "chroot failed");
	if (chdir("/") < 0)
		return op_fail(errno, "/", "chdir / failed");
	ch.root = "/";
	return 0;
}

/* MASK_PATH: /dev/null over a file, an empty read-only tmpfs over a dir. */
static int op_mask_path(struct op *op)
{
	const char *path = op->f[0].s;
	struct stat st;
	int r;
	if (stat(path, &st) < 0)
		return errno == ENOENT ? 0 : op_fail(errno, path, "stat failed");
	if (S_ISDIR(st.st_mode))
		r = mount("tmpfs", path, "tmpfs", MS_RDONLY, NULL);
	else
		r = mount("/dev/null", path, NULL, MS_BIND, NULL);
	if (r < 0 && errno != ENOENT)
		return op_fail(errno, path, "masking failed");
	return 0;
}

/* READONLY_PATH: bind on itself, then remount read-only keeping its flags. */
static int op_readonly_path(struct op *op)
{
	const char *path = op->f[0].s;
	unsigned long kept;
	if (mount(path, path, NULL, MS_BIND | MS_REC, NULL) < 0)
		return errno == ENOENT ? 0 : op_fail(errno, path, "bind mount failed");
	if (kept_flags(path, &kept) < 0)
		return op_fail(errno, path, "statvfs failed");
	if (mount(path, path, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | kept, NULL) < 0)
		return op_fail(errno, path, "read-only remount failed");
	return 0;
}

int do_write_file(const char *path, const char *content, uint32_t len)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return op_fail(errno, path, "open failed");
	ssize_t r = write(fd, content, len);
	int e = r < 0 ? errno : EIO;
	close(fd);
	if (r != (ssize_t)len)
		return op_fail(e, path, "write failed");
	return 0;
}

static int op_write_file(struct op *op)
{
	return do_write_file(op->f[0].s, op->f[1].s, op->f[1].n);
}

static int op_remount_ro(struct op *op)
{
	const char *path = op->f[0].s;
	unsigned long kept;
	if (kept_flags(path, &kept) < 0)
		return op_fail(errno, path, "statvfs failed");
	if (mount(NULL, path, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | kept, NULL) < 0)
		return op_fail(errno, path, "read-only remount failed");
	return 0;
}

/* RLIMIT resource soft hard */
static int op_rlimit(struct op *op)
{
	struct rlimit rl = { .rlim_cur = op->f[1].u, .rlim_max = op->f[2].u };
	if (prlimit(0, (__rlimit_resource_t)op->f[0].u, &rl, NULL) < 0)
		return op_fail(errno, "", "prlimit(%u) failed", (unsigned)op->f[0].u);
	return 0;
}

static int op_umask(struct op *op)
{
	umask((mode_t)op->f[0].u & 0777);
	return 0;
}

static int op_setsid(struct op *op)
{
	(void)op;
	if (setsid() < 0)
		return op_fail(errno, "", "setsid failed");
	return 0;
}

/* Sends fd with one SCM_RIGHTS message (unix(7)); the payload is the name. */
static int send_fd(int sock, int fd, char *name)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { name, strlen(name) + 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	return sendmsg(sock, &msg, MSG_NOSIGNAL) < 0 ? -1 : 0;
}

/* CONSOLE fd: a new pty whose master goes to the console socket and whose
 * peer becomes our controlling tty and stdio. TIOCGPTPEER opens the peer from
 * the master itself, not by a /dev/pts path the image could have replaced
 * (ioctl_tty(2)). TIOCSCTTY needs a session leader: SETSID comes first. */
static int op_console(struct op *op)
{
	int sock = (int)op->f[0].u;
	unsigned int n = 0;
	char name[32];
	int master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0)
		return op_fail(errno, "/dev/ptmx", "cannot open pty master");
	if (unlockpt(master) < 0)
		return op_fail(errno, "/dev/ptmx", "unlockpt failed");
	int peer = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (peer < 0)
		return op_fail(errno, "/dev/ptmx", "TIOCGPTPEER failed");
	if (ioctl(master, TIOCGPTN, &n) < 0)
		return op_fail(errno, "/dev/ptmx", "TIOCGPTN failed");
	snprintf(name, sizeof(name), "/dev/pts/%u", n);
	if (send_fd(sock, master, name) < 0)
		return op_fail(errno, name, "sending the pty master failed");
	close(master);
	close(sock);
	if (ioctl(peer, TIOCSCTTY, 0) < 0)
		return op_fail(errno, name, "TIOCSCTTY failed");
	for (int i = 0; i < 3; i++)
		if (dup2(peer, i) < 0)
			return op_fail(errno, name, "dup2 of the pty failed");
	if (peer > 2)
		close(peer);
	return 0;
}

/* CHDIR: a cwd inherited from a leaked host directory fd would make getcwd
 * return "(unreachable)..." or fail (CVE-2024-21626): refuse it. */
static int op_chdir(struct op *op)
{
	const char *path = op->f[0].s;
	char buf[PATH_MAX];
	if (chdir(path) < 0)
		return op_fail(errno, path, "chdir failed");
	if (!getcwd(buf, sizeof(buf)) || buf[0] != '/')
		return op_fail(EPERM, path, "working directory is outside the root");
	return 0;
}

static int parse_groups(char **v, uint32_t n, gid_t *out)
{
	for (uint32_t i = 0; i < n; i++) {
		char *end;
		errno = 0;
		unsigned long g = strtoul(v[i], &end, 10);
		if (errno || end == v[i] || *end || g > UINT32_MAX - 1)
			return -1;
		out[i] = (gid_t)g;
	}
	return 0;
}

/* setgroups(2) is refused with EPERM in a user namespace whose
 * /proc/self/setgroups is "deny" (user_namespaces(7)); with no groups asked
 * for there is nothing to drop there, so that case is not an error. */
static int setgroups_denied(void)
{
	char b[8] = "";
	int fd = open("/proc/self/setgroups", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t r = read(fd, b, sizeof(b) - 1);
	close(fd);
	return r > 0 && !strncmp(b, "deny", 4);
}

/* USER uid gid groups last_cap bounding effective permitted inheritable ambient
 * Order matters (capabilities(7)): the bounding set needs CAP_SETPCAP, so it
 * is cut while still privileged; KEEPCAPS keeps the permitted set across the
 * uid change; capset then sets the exact sets; ambient bits last, as they must
 * be in both permitted and inheritable. */
static int op_user(struct op *op)
{
	uid_t uid = (uid_t)op->f[0].u;
	gid_t gid = (gid_t)op->f[1].u;
	uint32_t ngroups = op->f[2].n;
	uint32_t last_cap = (uint32_t)op->f[3].u;
	uint64_t bounding = op->f[4].u, eff = op->f[5].u, prm = op->f[6].u;
	uint64_t inh = op->f[7].u, amb = op->f[8].u;
	gid_t *groups = calloc(ngroups + 1, sizeof(gid_t));

	if (!groups || parse_groups(op->f[2].v, ngroups, groups) < 0)
		return op_fail(EINVAL, "", "bad group list");
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		return op_fail(errno, "", "PR_SET_KEEPCAPS failed");
	for (uint32_t c = 0; c <= last_cap && c < 64; c++)
		if (!(bounding & (1ULL << c)) && prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0)
			return op_fail(errno, "", "PR_CAPBSET_DROP(%u) failed", c);
	if (setgroups(ngroups, groups) < 0 &&
	    !(errno == EPERM && ngroups == 0 && setgroups_denied()))
		return op_fail(errno, "", "setgroups failed");
	if (setresgid(gid, gid, gid) < 0)
		return op_fail(errno, "", "setresgid(%u) failed", (unsigned)gid);
	if (setresuid(uid, uid, uid) < 0)
		return op_fail(errno, "", "setresuid(%u) failed", (unsigned)uid);

	struct cap_header h = { CAP_VERSION_3, 0 };
	struct cap_data d[2] = {
		{ (uint32_t)eff, (uint32_t)prm, (uint32_t)inh },
		{ (uint32_t)(eff >> 32), (uint32_t)(prm >> 32), (uint32_t)(inh >> 32) },
	};
	if (sys_capset(&h, d) < 0)
		return op_fail(errno, "", "capset failed");
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
		return op_fail(errno, "", "clearing ambient capabilities failed");
	for (uint32_t c = 0; c < 64; c++)
		if ((amb & (1ULL << c)) &&
		    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, c, 0, 0) < 0)
			return op_fail(errno, "", "raising ambient capability %u failed", c);
	if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
		return op_fail(errno, "", "PR_SET_KEEPCAPS 0 failed");
	free(groups);
	return 0;
}

static int op_no_new_privs(struct op *op)
{
	(void)op;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return op_fail(errno, "", "PR_SET_NO_NEW_PRIVS failed");
	return 0;
}

/* SECCOMP flags program: seccomp(2) SECCOMP_SET_MODE_FILTER. */
static int op_seccomp(struct op *op)
{
	uint32_t len = op->f[1].n;
	if (len == 0 || len % sizeof(struct sock_filter) || len / sizeof(struct sock_filter) > 0xffff)
		return op_fail(EINVAL, "", "bad seccomp program length %u", len);
	struct sock_fprog prog = {
		.len = (unsigned short)(len / sizeof(struct sock_filter)),
		.filter = (struct sock_filter *)(void *)op->f[1].s, /* malloc'd: aligned */
	};
	if (sys_seccomp(SECCOMP_SET_MODE_FILTER, (unsigned)op->f[0].u, &prog) < 0)
		return op_fail(errno, "", "seccomp(SECCOMP_SET_MODE_FILTER) failed");
	return 0;
}

static int op_ready(struct op *op)
{
	(void)op;
	if (report_ready(ch.sock) < 0)
		return op_fail(errno, "", "sending READY failed");
	return 0;
}

/* OPEN_FIFO: O_RDWR never blocks on a fifo (fifo(7)) and keeps a writer, so
 * WAIT_FIFO's read blocks until `start` writes rather than seeing EOF. */
static int op_open_fifo(struct op *op)
{
	ch.fifo = open(op->f[0].s, O_RDWR | O_CLOEXEC);
	if (ch.fifo < 0)
		return op_fail(errno, op->f[0].s, "cannot open exec fifo");
	return 0;
}

static int op_wait_fifo(struct op *op)
{
	(void)op;
	char b;
	ssize_t r;
	if (ch.fifo < 0)
		return op_fail(EBADF, "", "WAIT_FIFO without OPEN_FIFO");
	do
		r = read(ch.fifo, &b, 1);
	while (r < 0 && errno == EINTR);
	if (r != 1)
		return op_fail(r < 0 ? errno : EIO, "", "reading the exec fifo failed");
	close(ch.fifo);
	ch.fifo = -1;
	return 0;
}

/* The hook's stdin is a memfd holding the text: unlike a pipe it cannot
 * block us on a hook that never reads, nor raise SIGPIPE on one that exits. */
static int stdin_memfd(const char *text, uint32_t len)
{
	int fd = memfd_create("nido-hook-stdin", MFD_CLOEXEC);
	if (fd < 0)
		return -1;
	if (write(fd, text, len) != (ssize_t)len || lseek(fd, 0, SEEK_SET) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* RUN_HOOK path args env timeout stdin */
static int op_run_hook(struct op *op)
{
	char *path = op->f[0].s;
	char **args = op->f[1].v, **env = op->f[2].v;
	uint32_t timeout = (uint32_t)op->f[3].u;
	char *argv0[] = { path, NULL };
	/* an empty stdin field means: the container state sent with the go */
	int status, in = op->f[4].n ? stdin_memfd(op->f[4].s, op->f[4].n)
				    : stdin_memfd(ch.state, ch.state_len);
	if (in < 0)
		return op_fail(errno, path, "cannot prepare hook stdin");

	pid_t pid = fork();
	if (pid < 0)
		return op_fail(errno, path, "fork failed");
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (dup2(in, 0) < 0)
			_exit(127);
		execve(path, op->f[1].n ? args : argv0, env);
		_exit(127);
	}
	close(in);

	int pfd = sys_pidfd_open(pid, 0);
	if (pfd < 0) {
		int e = errno;
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return op_fail(e, path, "pidfd_open failed");
	}
	struct pollfd p = { pfd, POLLIN, 0 };
	int r;
	do
		r = poll(&p, 1, timeout ? (int)(timeout > INT_MAX / 1000 ? INT_MAX : timeout * 1000) : -1);
	while (r < 0 && errno == EINTR);
	close(pfd);
	if (r == 0)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (r == 0)
		return op_fail(ECHILD, path, "hook timed out after %us", timeout);
	if (WIFSIGNALED(status))
		return op_fail(ECHILD, path, "hook killed by signal %d", WTERMSIG(status));
	if (WEXITSTATUS(status) != 0)
		return op_fail(ECHILD, path, "hook exited with status %d", WEXITSTATUS(status));
	return 0;
}

static const char *env_path(char **env)
{
	for (; env && *env; env++)
		if (!strncmp(*env, "PATH=", 5))
			return *env + 5;
	return "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
}

/* EXEC path argv env: execve(2), with execvp(3)'s PATH search done against
 * the container's env, not ours. ENOENT/ENOTDIR try the next directory;
 * EACCES is remembered (as execvp does) in case nothing else is found. */
static int op_exec(struct op *op)
{
	char *path = op->f[0].s;
	char **argv = op->f[1].v, **env = op->f[2].v;
	char *argv0[] = { path, NULL };
	char buf[PATH_MAX];
	int err = ENOENT;

	if (op->f[1].n == 0)
		argv = argv0;
	if (strchr(path, '/')) {
		execve(path, argv, env);
		return op_fail(errno, path, "exec failed");
	}
	if (!*path)
		return op_fail(ENOENT, path, "exec failed: empty path");
	for (const char *d = env_path(env); ; ) {
		const char *end = strchrnul(d, ':');
		int n = (int)(end - d);
		if (snprintf(buf, sizeof(buf), "%.*s%s%s", n, d, n ? "/" : "", path) < (int)sizeof(buf)) {
			execve(buf, argv, env);
			if (errno == EACCES)
				err = EACCES;
			else if (errno != ENOENT && errno != ENOTDIR)
				return op_fail(errno, buf, "exec failed");
		}
		if (!*end)
			break;
		d = end + 1;
	}
	return op_fail(err, path, "exec failed: not found in PATH");
}

static int op_mkdir(struct op *op)
{
	const char *path = op->f[0].s;
	int base = open_root();
	if (base < 0)
		return op_fail(errno, path, "cannot open rootfs");
	int fd = mkdir_in_root(base, path, (mode_t)op->f[1].u & 07777);
	int e = errno;
	close(base);
	if (fd < 0)
		return op_fail(e, path, "mkdir failed");
	close(fd);
	return 0;
}

static int op_oom_score_adj(struct op *op)
{
	return do_write_file("/proc/self/oom_score_adj", op->f[0].s, op->f[0].n);
}

static int (*const child_ops[OP_MAX + 1])(struct op *) = {
	[OP_WAIT_GO] = op_wait_go,
	[OP_SETHOSTNAME] = op_sethostname,
	[OP_SETDOMAINNAME] = op_setdomainname,
	[OP_ROOTFS] = op_rootfs,
	[OP_MOUNT] = op_mount,
	[OP_MKNOD] = op_mknod,
	[OP_SYMLINK] = op_symlink,
	[OP_PIVOT_ROOT] = op_pivot_root,
	[OP_CHROOT] = op_chroot,
	[OP_MASK_PATH] = op_mask_path,
	[OP_READONLY_PATH] = op_readonly_path,
	[OP_WRITE_FILE] = op_write_file,
	[OP_REMOUNT_RO] = op_remount_ro,
	[OP_RLIMIT] = op_rlimit,
	[OP_UMASK] = op_umask,
	[OP_SETSID] = op_setsid,
	[OP_CONSOLE] = op_console,
	[OP_CHDIR] = op_chdir,
	[OP_USER] = op_user,
	[OP_NO_NEW_PRIVS] = op_no_new_privs,
	[OP_SECCOMP] = op_seccomp,
	[OP_READY] = op_ready,
	[OP_OPEN_FIFO] = op_open_fifo,
	[OP_WAIT_FIFO] = op_wait_fifo,
	[OP_RUN_HOOK] = op_run_hook,
	[OP_EXEC] = op_exec,
	[OP_MKDIR] = op_mkdir,
	[OP_OOM_SCORE_ADJ] = op_oom_score_adj,
};

/* First thing after clone: no descriptor of the helper may reach the
 * container (close_range(2) CLOSE_RANGE_CLOEXEC marks them all at once, the
 * CVE-2024-21626 class), the plan and event pipes are the helper's alone, and
 * until WAIT_GO a dying helper takes us with it (PR_SET_PDEATHSIG, prctl(2)). */
static void child_setup(int console)
{
	if (console >= 0 && ch.sock == 5) { /* free the slot console takes */
		ch.sock = fcntl(5, F_DUPFD_CLOEXEC, 6);
		if (ch.sock < 0)
			_exit(1);
		close(5);
	}
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL); /* the helper blocked the forwarded signals */
	if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
		_exit(1);
	close(3);
	close(4);
	if (console >= 0) {
		/* CONSOLE_RELAY: our end of the helper's socketpair takes the
		 * console-socket slot, so the plan's CONSOLE op says fd 5 either way */
		if (console != 5) {
			if (dup3(console, 5, O_CLOEXEC) < 0)
				_exit(1);
			close(console);
		}
	}
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		_exit(1);
}

void child_main(struct plan *plan, int sock, int console)
{
	ch.sock = sock;
	child_setup(console);
	for (size_t i = plan->clone_at + 1; i < plan->count; i++) {
		struct op *op = &plan->ops[i];
		if (child_ops[op->code](op) < 0) {
			report_failure(ch.sock, op->index, op->code);
			_exit(op->code == OP_EXEC ? 127 : 1);
		}
	}
	_exit(0);
}
