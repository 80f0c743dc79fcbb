/* idmap.h - id-mapped mounts (mount_setattr(2) MOUNT_ATTR_IDMAP).
 *
 * The kernel lets only a caller privileged over the file system's own user
 * namespace (the initial one for ext4, xfs, btrfs) shift a mount's ids, so the
 * helper makes each id-mapped tree before the clone (IDMAP_TREE, parent op)
 * and the child, which inherits the descriptors, moves them into place inside
 * its new mount namespace (MOVE_TREE). */
#ifndef NIDO_IDMAP_H
#define NIDO_IDMAP_H

#include "plan.h"

#define IDMAP_MAX_TREES 32

int op_idmap_tree(struct op *op);
int op_move_tree(struct op *op);

#endif
