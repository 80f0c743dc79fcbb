/* inroot.c - resolving and creating paths inside the rootfs so that a symlink
 * planted in the image cannot lead a mount, a device node or a directory out of
 * it (openat2(2) RESOLVE_IN_ROOT, one component at a time). */
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


/* ---- in-root resolution ---- */

/* The root is re-opened from its path at each use rather than kept open since
 * ROOTFS: an fd opened before the rootfs is bind-mounted onto itself would
 * still point at the covered directory, so in-root mounts would land under the
 * bind mount and pivot_root(2) would see no mount point. */
int open_root(void)
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
int resolve_in(int base, const char *path, int flags)
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
int last_component(const char *p)
{
	return p[strspn(p, "/")] == '\0';
}

/* mkdir -p inside base; returns an O_PATH fd of the directory.
 * Each missing component is created with mkdirat(2) in the directory that the
 * previous prefix resolved to in-root, then the prefix is resolved again in
 * root: whatever is found at a name (a symlink, say) is followed only inside
 * the root. Modes are exact: the umask is cleared around mkdirat. */
int mkdir_in_root(int base, const char *path, mode_t mode)
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
int make_parent(int base, const char *path, char *buf, size_t n, const char **name)
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
int mkfile_in_root(int base, const char *path)
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
int open_target(const char *path, uint32_t tflags)
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
int kept_flags(const char *path, unsigned long *flags)
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
