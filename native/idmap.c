/* idmap.c - IDMAP_TREE (parent) and MOVE_TREE (child); see idmap.h. */
#include "idmap.h"
#include "child.h"
#include "init.h"
#include "report.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int trees[IDMAP_MAX_TREES];
static unsigned ntrees;

static int sys_open_tree(int dfd, const char *path, unsigned flags)
{
	return (int)syscall(SYS_open_tree, dfd, path, flags);
}

static int sys_mount_setattr(int dfd, const char *path, unsigned flags, struct mount_attr *a)
{
	return (int)syscall(SYS_mount_setattr, dfd, path, flags, a, sizeof(*a));
}

static int sys_move_mount(int from, const char *fpath, int to, const char *tpath, unsigned flags)
{
	return (int)syscall(SYS_move_mount, from, fpath, to, tpath, flags);
}

static int write_proc(pid_t pid, const char *name, const char *text)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
	return do_write_file(path, text, (uint32_t)strlen(text));
}

/* A user namespace with these maps, as an fd: a child unshares one and waits
 * to be killed while we write its maps and open it (user_namespaces(7)). */
static int userns_with_maps(const char *uidmap, const char *gidmap)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return op_fail(errno, "", "pipe2 failed");
	pid_t pid = fork();
	if (pid < 0)
		return op_fail(errno, "", "fork for the id-map namespace failed");
	if (pid == 0) {
		char c = unshare(CLONE_NEWUSER) < 0 ? 'E' : 'U';
		if (write(p[1], &c, 1) != 1 || c == 'E')
			_exit(1);
		for (;;)
			pause();
	}
	close(p[1]);
	char c = 0;
	ssize_t r;
	do
		r = read(p[0], &c, 1);
	while (r < 0 && errno == EINTR);
	close(p[0]);
	int fd = -1;
	if (c != 'U')
		op_fail(EPERM, "", "unshare(CLONE_NEWUSER) for the id-map namespace failed");
	else if (write_proc(pid, "uid_map", uidmap) == 0 && write_proc(pid, "gid_map", gidmap) == 0) {
		char path[64];
		snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)pid);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			op_fail(errno, path, "cannot open the id-map namespace");
	}
	kill(pid, SIGKILL);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	return fd;
}

/* IDMAP_TREE source recursive uid_map gid_map attrs: a detached copy of
 * source (open_tree OPEN_TREE_CLONE) with its ids shifted by the maps and the
 * MOUNT_ATTR_* bits in attrs, kept for MOVE_TREE by index. */
int op_idmap_tree(struct op *op)
{
	const char *src = op->f[0].s;
	unsigned rec = op->f[1].u ? AT_RECURSIVE : 0;
	if (ntrees == IDMAP_MAX_TREES)
		return op_fail(E2BIG, src, "more than %d id-mapped mounts", IDMAP_MAX_TREES);
	int ns = userns_with_maps(op->f[2].s, op->f[3].s);
	if (ns < 0)
		return -1;
	int tree = sys_open_tree(AT_FDCWD, src, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | rec);
	if (tree < 0) {
		int e = errno;
		close(ns);
		return op_fail(e, src, "open_tree(OPEN_TREE_CLONE) failed");
	}
	struct mount_attr a = { .attr_set = MOUNT_ATTR_IDMAP | op->f[4].u, .userns_fd = (uint64_t)ns };
	int r = sys_mount_setattr(tree, "", AT_EMPTY_PATH | rec, &a);
	int e = errno;
	close(ns);
	if (r < 0) {
		close(tree);
		return op_fail(e, src, "mount_setattr(MOUNT_ATTR_IDMAP) failed (the file system may not support"
			       " id-mapped mounts)");
	}
	trees[ntrees++] = tree;
	return 0;
}

/* MOVE_TREE index target tflags: puts IDMAP_TREE number index on target. */
int op_move_tree(struct op *op)
{
	uint32_t i = (uint32_t)op->f[0].u;
	const char *target = op->f[1].s;
	if (i >= ntrees)
		return op_fail(EINVAL, target, "no id-mapped tree %u", i);
	int fd = open_target(target, (uint32_t)op->f[2].u);
	if (fd < 0)
		return op_fail(errno, target, "cannot resolve mount target");
	int r = sys_move_mount(trees[i], "", fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH);
	int e = errno;
	close(fd);
	if (r < 0)
		return op_fail(e, target, "move_mount of an id-mapped tree failed");
	close(trees[i]);
	trees[i] = -1;
	return 0;
}
