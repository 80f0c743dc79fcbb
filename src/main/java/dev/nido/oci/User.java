package dev.nido.oci;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/** {@code process.user}. Ids are uint32 in the spec, held in a long so 4294967295 fits. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"uid", "gid", "umask", "additionalGids", "username"})
public record User(Long uid, Long gid, Long umask, List<Long> additionalGids, String username) {
    public User {
        additionalGids = Copies.list(additionalGids);
    }

    /** A user by numeric ids only. */
    public static User of(long uid, long gid) {
        return new User(uid, gid, null, null, null);
    }
}
