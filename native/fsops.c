/* fsops.c - child ops on the filesystem: rootfs, mounts, device nodes, symlinks,
 * the root change, masked and read-only paths, files, directories. */
#include "child.h"
#include "init.h"
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


int op_rootfs(struct op *op)
{
	ch.root = op->f[0].s;
	int fd = open_root();
	if (fd < 0)
		return op_fail(errno, ch.root, "cannot open rootfs");
	close(fd);
	return 0;
}

/* MOUNT source target fstype flags data tflags */
int op_mount(struct op *op)
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
int op_mknod(struct op *op)
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
int op_symlink(struct op *op)
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

/* The working directory becomes the rootfs, for PIVOT_ROOT and CHROOT. */
static int enter_rootfs(void)
{
	int fd = open_root();
	if (fd < 0)
		return op_fail(errno, ch.root ? ch.root : "", "cannot open rootfs");
	int r = fchdir(fd);
	int e = errno;
	close(fd);
	if (r < 0)
		return op_fail(e, ch.root, "fchdir to rootfs failed");
	return 0;
}

/* PIVOT_ROOT: pivot_root(".", ".") stacks the old root on top of the new one
 * (pivot_root(2), NOTES), so no put_old directory is needed; MS_SLAVE keeps
 * the lazy unmount from propagating back to the host. */
int op_pivot_root(struct op *op)
{
	(void)op;
	if (enter_rootfs() < 0)
		return -1;
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
int op_chroot(struct op *op)
{
	(void)op;
	if (enter_rootfs() < 0)
		return -1;
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
int op_mask_path(struct op *op)
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
int op_readonly_path(struct op *op)
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

int op_write_file(struct op *op)
{
	return do_write_file(op->f[0].s, op->f[1].s, op->f[1].n);
}

int op_remount_ro(struct op *op)
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
int op_mkdir(struct op *op)
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

