package dev.nido.oci;

import java.util.List;

/** {@code process.user}. Ids are uint32 in the spec, held in a long so 4294967295 fits. */
public record User(Long uid, Long gid, Long umask, List<Long> additionalGids, String username) {
    /** Its JSON (see {@link JsonCodec}). */
    static final JsonCodec<User> JSON = new JsonCodec<>() {
        @Override
        User fromJson(JsonTree o) {
            return new User(
                    o.int64("uid"),
                    o.int64("gid"),
                    o.int64("umask"),
                    o.list("additionalGids", JsonTree::asInt64),
                    o.string("username"));
        }

        @Override
        void toJson(JsonOut out, User r) {
            out.field("uid", r.uid())
                    .field("gid", r.gid())
                    .field("umask", r.umask())
                    .field("additionalGids", r.additionalGids())
                    .field("username", r.username());
        }
    };

    public User {
        additionalGids = Copies.list(additionalGids);
    }

    /** A user by numeric ids only. */
    public static User of(long uid, long gid) {
        return new User(uid, gid, null, null, null);
    }
}
